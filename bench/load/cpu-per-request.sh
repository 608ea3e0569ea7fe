#!/usr/bin/env bash
# CPU time and context switches per forwarded request, measured on the proxy process alone with `perf stat`:
# nginx as reverse proxy and this gateway (HTTP backend), both in front of the same nginx serving a 1 KiB file.
# Where run.sh compares throughput on a shared machine, this tells how much work each proxy does per request.
#
# Settings (environment): DURATION (seconds of measured load, default 8), CONNECTIONS (default 32), THREADS (wrk
# threads, default 1), PORT_BASE (default 19080; uses PORT_BASE..PORT_BASE+3), GATEWAY_ENV (extra environment for the
# gateway, e.g. "GATEWAY_EPOLL=0" to run it on the runtime's sockets instead of its own event loops), SYSCALLS (1 = also
# count socket calls per request: recv, send, writev, epoll_wait, io_uring_enter).
# Needs nginx, wrk, perf (linux-perf) and curl; builds samples/Gateway.Server in Release.
set -euo pipefail

DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
PORT_BASE=${PORT_BASE:-19080}
GATEWAY_ENV=${GATEWAY_ENV:-}
SYSCALLS=${SYSCALLS:-0}
EVENTS=context-switches,task-clock
if [[ $SYSCALLS == 1 ]]; then
    # Socket calls per request, counted at the kernel's entry points (needs tracefs, i.e. root).
    EVENTS+=,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto,syscalls:sys_enter_writev,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_io_uring_enter,syscalls:sys_enter_write,syscalls:sys_enter_futex
fi
HOST=127.0.0.1
BACKEND_PORT=$PORT_BASE
PROXY_PORT=$((PORT_BASE + 1))
MGMT_PORT=$((PORT_BASE + 2))
DATA_PORT=$((PORT_BASE + 3))
TOKEN=cpu-bench-token
export PATH="$PATH:/usr/sbin:/sbin"
for tool in nginx wrk perf curl python3 dotnet; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing tool: $tool" >&2; exit 1; }
done

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/gateway-cpu.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

dotnet build -c Release -nologo -v q "$REPO/samples/Gateway.Server" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }

mkdir -p "$WORK/www" "$WORK/backend" "$WORK/proxy"
python3 -c "import sys; sys.stdout.write(('0123456789abcdef' * 64)[:1024])" >"$WORK/www/1k"
nginx_conf() { # folder, server block
    cat <<CONF
worker_processes auto;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $1/cb; proxy_temp_path $1/px; fastcgi_temp_path $1/fc; uwsgi_temp_path $1/uw; scgi_temp_path $1/sc;
    keepalive_requests 1000000;
    $2
}
CONF
}
nginx_conf "$WORK/backend" "server { listen $HOST:$BACKEND_PORT reuseport; root $WORK/www; location / { } }" >"$WORK/backend/nginx.conf"
nginx_conf "$WORK/proxy" "upstream backend { server $HOST:$BACKEND_PORT; keepalive 64; keepalive_requests 1000000; }
    server { listen $HOST:$PROXY_PORT; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }" >"$WORK/proxy/nginx.conf"
nginx -p "$WORK/backend" -c "$WORK/backend/nginx.conf" -g 'daemon off;' >"$WORK/backend.log" 2>&1 & PIDS+=($!)
nginx -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf" -g 'daemon off;' >"$WORK/proxy.log" 2>&1 & PIDS+=($!)

# shellcheck disable=SC2086 # GATEWAY_ENV is a list of NAME=value words
env $GATEWAY_ENV GATEWAY_MANAGEMENT_URL="http://$HOST:$MGMT_PORT" GATEWAY_DATA_URL="http://$HOST:$DATA_PORT" \
    GATEWAY_ADMIN_TOKEN=$TOKEN GATEWAY_DATA_DIR="$WORK/gateway-data" GATEWAY_DEFAULT_API_RPS=1000000 \
    Logging__LogLevel__Default=Warning dotnet "$REPO/samples/Gateway.Server/bin/Release/net10.0/Gateway.Server.dll" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)
GW="http://$HOST:$MGMT_PORT/v2/0123456789abcdef0123456789abcdef/apigw"
for _ in $(seq 1 120); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $TOKEN" "$GW/instances" || true) == 200 ]] && break
    sleep 0.5
done
json() { python3 -c "import json,sys; print(eval(sys.argv[1], {}, {'d': json.load(sys.stdin)}))" "$1"; }
INSTANCE=$(curl -s -H "X-Auth-Token: $TOKEN" "$GW/instances" | json 'd["instances"][0]["id"]')
GROUP=$(curl -s -H "X-Auth-Token: $TOKEN" "$GW/instances/$INSTANCE/api-groups" | json 'd["groups"][0]["id"]')
API=$(curl -s -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' -X POST "$GW/instances/$INSTANCE/apis" -d '{"group_id":"'"$GROUP"'",
    "name":"cpu_http","type":1,"req_protocol":"HTTP","req_method":"GET","req_uri":"/1k","auth_type":"NONE","backend_type":"HTTP",
    "backend_api":{"url_domain":"'"$HOST:$BACKEND_PORT"'","req_protocol":"HTTP","req_method":"GET","req_uri":"/1k","timeout":5000}}' | json 'd["id"]')
curl -s -o /dev/null -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' -X POST "$GW/instances/$INSTANCE/apis/action" \
    -d '{"action":"online","api_id":"'"$API"'","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID"}'
for url in "http://$HOST:$PROXY_PORT/1k" "http://$HOST:$DATA_PORT/1k"; do
    for _ in $(seq 1 60); do [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]] && break; sleep 0.5; done
done

measure() { # name url pids
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$2" >/dev/null
    perf stat -e "$EVENTS" -p "$3" -- sleep "$DURATION" 2>"$WORK/stat.txt" &
    local stat=$!
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$2")
    wait "$stat" || true
    python3 - "$1" "$out" "$WORK/stat.txt" <<'PY'
import re, sys
name, out, stat = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
requests = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
cpu_ms = float(re.search(r"([\d.,]+)\s+msec task-clock", stat).group(1).replace(",", ""))
switches = int(re.search(r"([\d,]+)\s+context-switches", stat).group(1).replace(",", ""))
calls = {m.group(2): int(m.group(1).replace(",", "")) for m in re.finditer(r"([\d,]+)\s+syscalls:sys_enter_(\w+)", stat)}
extra = "".join(f" {calls[c] / requests:.2f} |" for c in ("recvfrom", "sendto", "writev", "epoll_wait", "io_uring_enter", "write", "futex") if c in calls)
print(f"| {name} | {rps:,.0f} | {cpu_ms * 1000 / requests:.1f} | {switches / requests:.2f} |{extra}")
PY
}

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; perf stat on the proxy's processes only; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
if [[ $SYSCALLS == 1 ]]; then
    echo "| proxy | req/s | CPU µs per request | context switches per request | recv | send | writev | epoll_wait | io_uring_enter |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
else
    echo "| proxy | req/s | CPU µs per request | context switches per request |"
    echo "|---|---:|---:|---:|"
fi
measure "nginx proxy" "http://$HOST:$PROXY_PORT/1k" "$(pgrep -P "$(cat "$WORK/proxy/nginx.pid")" | paste -sd,)"
measure "gateway HTTP${GATEWAY_ENV:+ ($GATEWAY_ENV)}" "http://$HOST:$DATA_PORT/1k" "$GATEWAY_PID"
