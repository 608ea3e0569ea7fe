#!/usr/bin/env bash
# End-to-end load comparison: the same wrk load (keep-alive, 1 KiB response body) against
#   1. nginx serving a static 1 KiB file (the backend itself),
#   2. nginx as a reverse proxy in front of it (upstream keep-alive),
#   3. HAProxy in front of it (http mode, keep-alive),
#   4. YARP 2.1.0 in front of it (bench/load/YarpPeer),
#   5. this gateway answering from a MOCK backend, and forwarding to the nginx backend (HTTP backend), the latter
#      also with a throttling policy bound whose limits are far above the offered load (gateway-throttled).
# Rounds are interleaved (round-robin over the targets, rotated each round) so that noise from other work on the
# machine hits every target alike. Every server binds 127.0.0.1, and wrk only ever talks to 127.0.0.1.
#
# Settings (environment):
#   DURATION      seconds per measured cell (default 10)
#   ROUNDS        interleaved rounds (default 3)
#   CONNECTIONS   wrk connection counts (default "32 256")
#   THREADS       wrk threads (default 2)
#   WARMUP        seconds of unrecorded load per target before the rounds (default 20: the gateway's first ~20 s
#                 of load run partly on the JIT's first-tier code, with longer tails)
#   NGINX_WORKERS worker_processes of both nginx instances (default auto, i.e. one per core)
#   PORT_BASE     first of the 127.0.0.1 ports used (default 18080; uses PORT_BASE..PORT_BASE+11)
#   TARGETS       subset of: backend nginx-proxy haproxy yarp gateway-mock gateway-http gateway-throttled (default all)
#   KEEP_RESULTS  folder to copy the raw wrk outputs and the table to (default: not kept)
#   SKIP_BUILD    1 = use the existing Release builds
#   GATEWAY_ENV   extra environment for the gateway, NAME=value words (e.g. "DOTNET_gcServer=0")
#   THINK_MS      milliseconds each connection waits before each request (default 0: as fast as answers come). With
#                 e.g. 1, every target gets about the same request rate below saturation, so latencies compare at
#                 equal load instead of reflecting who leaves wrk and the backend as the bottleneck.
set -euo pipefail

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-"32 256"}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-20}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
PORT_BASE=${PORT_BASE:-18080}
GATEWAY_ENV=${GATEWAY_ENV:-}
TARGETS=${TARGETS:-"backend nginx-proxy haproxy yarp gateway-mock gateway-http gateway-throttled"}
KEEP_RESULTS=${KEEP_RESULTS:-}
SKIP_BUILD=${SKIP_BUILD:-0}
THINK_MS=${THINK_MS:-0}

HOST=127.0.0.1
BACKEND_PORT=$PORT_BASE
NGINX_PROXY_PORT=$((PORT_BASE + 1))
HAPROXY_PORT=$((PORT_BASE + 2))
YARP_PORT=$((PORT_BASE + 3))
GATEWAY_MGMT_PORT=$((PORT_BASE + 10))
GATEWAY_DATA_PORT=$((PORT_BASE + 11))
PROJECT_ID=0123456789abcdef0123456789abcdef
ADMIN_TOKEN=load-bench-token
BODY_SIZE=1024

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"

for value in "$DURATION" "$ROUNDS" "$THREADS" "$WARMUP" "$PORT_BASE" "$THINK_MS"; do
    [[ $value =~ ^[0-9]+$ ]] || { echo "DURATION, ROUNDS, THREADS, WARMUP, PORT_BASE and THINK_MS must be whole numbers" >&2; exit 2; }
done
(( DURATION >= 1 && DURATION <= 120 )) || { echo "DURATION must be 1..120 seconds" >&2; exit 2; }
(( ROUNDS >= 1 && ROUNDS <= 20 )) || { echo "ROUNDS must be 1..20" >&2; exit 2; }
(( WARMUP <= 30 )) || { echo "WARMUP must be at most 30 seconds" >&2; exit 2; }

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------- tools
need_install=()
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need_install+=(nginx)
command -v haproxy >/dev/null 2>&1 || [[ -x /usr/sbin/haproxy ]] || need_install+=(haproxy)
command -v wrk >/dev/null 2>&1 || need_install+=(wrk)
if (( ${#need_install[@]} > 0 )); then
    log "installing ${need_install[*]} with apt"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"
for tool in nginx haproxy wrk curl python3 dotnet; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing tool: $tool" >&2; exit 1; }
done

# ---------------------------------------------------------------- processes and clean-up
WORK=$(mktemp -d /tmp/gateway-load.XXXXXX)
chmod 755 "$WORK" # nginx workers read the static file as their own (unprivileged) user
PIDS=()

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n $KEEP_RESULTS && -d $WORK/results ]]; then
        mkdir -p "$KEEP_RESULTS"
        cp -r "$WORK/results/." "$KEEP_RESULTS/"
        cp "$WORK"/*.log "$KEEP_RESULTS/" 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() {
    ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# Waits until a GET answers 200 (bounded: about 60 s).
wait_ok() {
    local url=$1 name=$2 pid=$3
    for _ in $(seq 1 120); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true) == 200 ]]; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "$name exited during start-up; its log:" >&2; tail -n 30 "$WORK/$name.log" >&2 || true; exit 1; }
        sleep 0.5
    done
    echo "$name did not answer 200 at $url" >&2
    tail -n 30 "$WORK/$name.log" >&2 || true
    exit 1
}

# Checks that a target answers 200 with a body of exactly BODY_SIZE bytes.
check_body() {
    local url=$1 name=$2 size code
    read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' --max-time 5 "$url")
    if [[ $code != 200 || $size != "$BODY_SIZE" ]]; then
        echo "$name: GET $url answered $code with $size body bytes (expected 200 and $BODY_SIZE)" >&2
        exit 1
    fi
}

has_target() { [[ " $TARGETS " == *" $1 "* ]]; }

for port in "$BACKEND_PORT" "$NGINX_PROXY_PORT" "$HAPROXY_PORT" "$YARP_PORT" "$GATEWAY_MGMT_PORT" "$GATEWAY_DATA_PORT"; do
    port_free "$port" || { echo "port $HOST:$port is in use; set PORT_BASE" >&2; exit 1; }
done

# ---------------------------------------------------------------- builds
if [[ $SKIP_BUILD != 1 ]]; then
    if has_target yarp; then
        log "building bench/load/YarpPeer (Release)"
        dotnet build -c Release -nologo -v q bench/load/YarpPeer >"$WORK/build-yarp.log" 2>&1 || { cat "$WORK/build-yarp.log" >&2; exit 1; }
    fi
    if has_target gateway-mock || has_target gateway-http || has_target gateway-throttled; then
        log "building samples/Gateway.Server (Release)"
        dotnet build -c Release -nologo -v q samples/Gateway.Server >"$WORK/build-gateway.log" 2>&1 || { cat "$WORK/build-gateway.log" >&2; exit 1; }
    fi
fi

# ---------------------------------------------------------------- backend: nginx serving a static 1 KiB file
mkdir -p "$WORK/www" "$WORK/nginx-backend" "$WORK/nginx-proxy"
python3 -c "import sys; sys.stdout.write(('0123456789abcdef' * 64)[:$BODY_SIZE])" >"$WORK/www/1k"

nginx_common() { # $1 = folder for pid, logs and temp files
    cat <<EOF
worker_processes $NGINX_WORKERS;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
EOF
}
nginx_http_common() {
    cat <<EOF
    access_log off;
    client_body_temp_path $1/client_body;
    proxy_temp_path $1/proxy;
    fastcgi_temp_path $1/fastcgi;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
EOF
}

{
    nginx_common "$WORK/nginx-backend"
    echo "http {"
    nginx_http_common "$WORK/nginx-backend"
    cat <<EOF
    default_type text/plain;
    server {
        # reuseport: each backend worker gets its own listening socket and the kernel spreads connections over them
        # by hash. Without it, whichever worker is awake takes the next connection, and a proxy's keep-alive
        # connections could all land on one of the two workers (seen: 32 to 0), which capped that target for the
        # whole run by chance. The proxies' own listeners keep their defaults.
        listen $HOST:$BACKEND_PORT reuseport;
        root $WORK/www;
        location / { }
    }
}
EOF
} >"$WORK/nginx-backend/nginx.conf"

log "starting nginx backend on $HOST:$BACKEND_PORT (worker_processes $NGINX_WORKERS)"
nginx -p "$WORK/nginx-backend" -c "$WORK/nginx-backend/nginx.conf" -g 'daemon off;' >"$WORK/nginx-backend.log" 2>&1 &
PIDS+=($!)
wait_ok "http://$HOST:$BACKEND_PORT/1k" nginx-backend "${PIDS[-1]}"
check_body "http://$HOST:$BACKEND_PORT/1k" nginx-backend

declare -A URL
URL[backend]="http://$HOST:$BACKEND_PORT/1k"

# ---------------------------------------------------------------- nginx as reverse proxy
if has_target nginx-proxy; then
    {
        nginx_common "$WORK/nginx-proxy"
        echo "http {"
        nginx_http_common "$WORK/nginx-proxy"
        cat <<EOF
    upstream backend {
        server $HOST:$BACKEND_PORT;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen $HOST:$NGINX_PROXY_PORT;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
    } >"$WORK/nginx-proxy/nginx.conf"
    log "starting nginx reverse proxy on $HOST:$NGINX_PROXY_PORT"
    nginx -p "$WORK/nginx-proxy" -c "$WORK/nginx-proxy/nginx.conf" -g 'daemon off;' >"$WORK/nginx-proxy.log" 2>&1 &
    PIDS+=($!)
    URL[nginx-proxy]="http://$HOST:$NGINX_PROXY_PORT/1k"
    wait_ok "${URL[nginx-proxy]}" nginx-proxy "${PIDS[-1]}"
fi

# ---------------------------------------------------------------- HAProxy
if has_target haproxy; then
    cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 4096
defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 75s
frontend load
    bind $HOST:$HAPROXY_PORT
    default_backend nginx
backend nginx
    server backend $HOST:$BACKEND_PORT
EOF
    haproxy -q -c -f "$WORK/haproxy.cfg" >/dev/null
    log "starting HAProxy on $HOST:$HAPROXY_PORT ($(haproxy -v | head -n 1 | awk '{print $3}'))"
    haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
    PIDS+=($!)
    URL[haproxy]="http://$HOST:$HAPROXY_PORT/1k"
    wait_ok "${URL[haproxy]}" haproxy "${PIDS[-1]}"
fi

# ---------------------------------------------------------------- YARP 2.1.0
if has_target yarp; then
    log "starting YARP 2.1.0 on $HOST:$YARP_PORT"
    YARP_URL="http://$HOST:$YARP_PORT" YARP_BACKEND="http://$HOST:$BACKEND_PORT/" DOTNET_gcServer=0 \
        dotnet bench/load/YarpPeer/bin/Release/net10.0/YarpPeer.dll >"$WORK/yarp.log" 2>&1 &
    PIDS+=($!)
    URL[yarp]="http://$HOST:$YARP_PORT/1k"
    wait_ok "${URL[yarp]}" yarp "${PIDS[-1]}"
fi

# ---------------------------------------------------------------- this gateway
if has_target gateway-mock || has_target gateway-http || has_target gateway-throttled; then
    log "starting samples/Gateway.Server (management $HOST:$GATEWAY_MGMT_PORT, data plane $HOST:$GATEWAY_DATA_PORT)"
    # shellcheck disable=SC2086 # GATEWAY_ENV is a list of NAME=value words
    env $GATEWAY_ENV GATEWAY_MANAGEMENT_URL="http://$HOST:$GATEWAY_MGMT_PORT" \
    GATEWAY_DATA_URL="http://$HOST:$GATEWAY_DATA_PORT" \
    GATEWAY_ADMIN_TOKEN="$ADMIN_TOKEN" \
    GATEWAY_DATA_DIR="$WORK/gateway-data" \
    GATEWAY_DEFAULT_API_RPS=1000000 \
    Logging__LogLevel__Default=Warning \
        dotnet samples/Gateway.Server/bin/Release/net10.0/Gateway.Server.dll >"$WORK/gateway.log" 2>&1 &
    PIDS+=($!)
    GATEWAY_PID=${PIDS[-1]}
    GW="http://$HOST:$GATEWAY_MGMT_PORT/v2/$PROJECT_ID/apigw"
    for _ in $(seq 1 120); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -H "X-Auth-Token: $ADMIN_TOKEN" "$GW/instances" || true) == 200 ]] && break
        kill -0 "$GATEWAY_PID" 2>/dev/null || { echo "the gateway exited during start-up:" >&2; tail -n 30 "$WORK/gateway.log" >&2; exit 1; }
        sleep 0.5
    done

    api() { # method path [json] -> response body; fails on a non-2xx answer
        local method=$1 path=$2 data=${3:-}
        local args=(-s -S --max-time 10 -X "$method" -H "X-Auth-Token: $ADMIN_TOKEN" -H 'Content-Type: application/json' -w '\n%{http_code}')
        [[ -n $data ]] && args+=(-d "$data")
        local out code
        out=$(curl "${args[@]}" "$GW$path")
        code=${out##*$'\n'}
        out=${out%$'\n'*}
        if [[ $code != 2* ]]; then
            echo "management call $method $path answered $code: $out" >&2
            exit 1
        fi
        printf '%s' "$out"
    }
    json() { python3 -c "import json,sys; print(eval(sys.argv[1], {}, {'d': json.load(sys.stdin)}))" "$1"; }

    INSTANCE=$(api GET /instances | json 'd["instances"][0]["id"]')
    GROUP=$(api GET "/instances/$INSTANCE/api-groups" | json '[g["id"] for g in d["groups"] if g.get("is_default") == 1][0]')
    MOCK_BODY=$(cat "$WORK/www/1k")
    create_api() { # name uri backend-json
        api POST "/instances/$INSTANCE/apis" '{"group_id":"'"$GROUP"'","name":"'"$1"'","type":1,"req_protocol":"HTTP",
            "req_method":"GET","req_uri":"'"$2"'","auth_type":"NONE",'"$3"'}' | json 'd["id"]'
    }
    publish() {
        api POST "/instances/$INSTANCE/apis/action" \
            '{"action":"online","api_id":"'"$1"'","env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID"}' >/dev/null
    }
    MOCK_API=$(create_api load_mock /mock1k '"backend_type":"MOCK","mock_info":{"result_content":"'"$MOCK_BODY"'"}')
    HTTP_API=$(create_api load_http /1k '"backend_type":"HTTP","backend_api":{"url_domain":"'"$HOST:$BACKEND_PORT"'",
        "req_protocol":"HTTP","req_method":"GET","req_uri":"/1k","timeout":5000}')
    THROTTLED_API=$(create_api load_throttled /throttled/1k '"backend_type":"HTTP","backend_api":{"url_domain":"'"$HOST:$BACKEND_PORT"'",
        "req_protocol":"HTTP","req_method":"GET","req_uri":"/1k","timeout":5000}')
    publish "$MOCK_API"
    publish "$HTTP_API"
    # The unbound APIs get the instance default (raised to 1,000,000/s above so it never bites); the throttled one
    # gets a policy with API, per-IP and per-user limits, all far above what wrk can offer: it measures the cost of
    # checking limits, not of rejecting.
    POLICY=$(api POST "/instances/$INSTANCE/throttles" \
        '{"name":"load_policy","api_call_limits":1000000,"user_call_limits":1000000,"app_call_limits":1000000,"ip_call_limits":1000000,"time_interval":1,"time_unit":"SECOND","type":1}' | json 'd["id"]')
    publish "$THROTTLED_API"
    THROTTLED_PUBLISH=$(api GET "/instances/$INSTANCE/throttle-bindings/unbinded-apis?throttle_id=$POLICY&env_id=DEFAULT_ENVIRONMENT_RELEASE_ID" \
        | json '[a["publish_id"] for a in d["apis"] if a["id"] == "'"$THROTTLED_API"'"][0]')
    api POST "/instances/$INSTANCE/throttle-bindings" '{"strategy_id":"'"$POLICY"'","publish_ids":["'"$THROTTLED_PUBLISH"'"]}' >/dev/null
    URL[gateway-mock]="http://$HOST:$GATEWAY_DATA_PORT/mock1k"
    URL[gateway-http]="http://$HOST:$GATEWAY_DATA_PORT/1k"
    URL[gateway-throttled]="http://$HOST:$GATEWAY_DATA_PORT/throttled/1k"
    # Publishing reaches the data plane through the store's change feed: wait until both routes answer.
    wait_ok "${URL[gateway-mock]}" gateway "$GATEWAY_PID"
    wait_ok "${URL[gateway-http]}" gateway "$GATEWAY_PID"
    wait_ok "${URL[gateway-throttled]}" gateway "$GATEWAY_PID"
fi

ORDER=()
for target in backend nginx-proxy haproxy yarp gateway-mock gateway-http gateway-throttled; do
    has_target "$target" && ORDER+=("$target")
done
mkdir -p "$WORK/results"
for target in "${ORDER[@]}"; do
    check_body "${URL[$target]}" "$target"
    { echo "== $target: GET ${URL[$target]}"; curl -s -D - -o /dev/null --max-time 5 "${URL[$target]}" | tr -d '\r'; } >>"$WORK/results/response-heads.txt"
done

# ---------------------------------------------------------------- load
read -r -a CONNS <<<"$CONNECTIONS"
cells=$(( ${#ORDER[@]} * ${#CONNS[@]} ))
log "targets: ${ORDER[*]}; connections: ${CONNS[*]}; $ROUNDS round(s) x $cells cells x ${DURATION}s" \
    "+ ${WARMUP}s warm-up per target = about $(( ROUNDS * cells * DURATION + ${#ORDER[@]} * WARMUP ))s of load"

WRK_SCRIPT=()
if (( THINK_MS > 0 )); then
    printf 'function delay()\n    return %d\nend\n' "$THINK_MS" >"$WORK/think.lua"
    WRK_SCRIPT=(-s "$WORK/think.lua")
fi

run_wrk() { # target connections seconds output
    local threads=$THREADS
    (( threads > $2 )) && threads=$2
    timeout --signal=INT --kill-after=5 $(( $3 + 20 )) \
        wrk -t"$threads" -c"$2" -d"$3s" --timeout 5s --latency "${WRK_SCRIPT[@]}" "${URL[$1]}" >"$4" 2>&1 || {
        echo "wrk against $1 (${URL[$1]}) failed:" >&2
        cat "$4" >&2
        exit 1
    }
}

log "machine: $(nproc) cores,$(uptime | sed 's/.*up[^,]*,//')"
if (( WARMUP > 0 )); then
    for target in "${ORDER[@]}"; do
        log "warm-up: $target"
        run_wrk "$target" "${CONNS[0]}" "$WARMUP" "$WORK/results/warmup_$target.txt"
    done
fi

for round in $(seq 1 "$ROUNDS"); do
    # rotate the order each round so that no target always runs first (or right after the same neighbour)
    shift_by=$(( (round - 1) % ${#ORDER[@]} ))
    rotated=("${ORDER[@]:$shift_by}" "${ORDER[@]:0:$shift_by}")
    for conns in "${CONNS[@]}"; do
        for target in "${rotated[@]}"; do
            log "round $round/$ROUNDS: $target, $conns connections"
            run_wrk "$target" "$conns" "$DURATION" "$WORK/results/r${round}_${target}_c${conns}.txt"
            kill -0 "${PIDS[0]}" 2>/dev/null || { echo "the nginx backend died" >&2; exit 1; }
        done
    done
done

for i in "${!PIDS[@]}"; do
    kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "a server exited during the load (pid ${PIDS[$i]}); see logs" >&2; exit 1; }
done

log "machine after the load:$(uptime | sed 's/.*up[^,]*,//')"

# ---------------------------------------------------------------- table
python3 - "$WORK/results" "$ROUNDS" "$DURATION" "$THREADS" "$NGINX_WORKERS" "${ORDER[*]}" "${CONNS[*]}" "$THINK_MS" <<'PY' | tee "$WORK/results/table.md"
import os, re, statistics, sys

folder, rounds, duration, threads, workers = sys.argv[1:6]
order, conns = sys.argv[6].split(), sys.argv[7].split()
think = int(sys.argv[8])
names = {
    "backend": "nginx backend (direct)",
    "nginx-proxy": "nginx proxy",
    "haproxy": "HAProxy",
    "yarp": "YARP 2.1.0",
    "gateway-mock": "gateway MOCK",
    "gateway-http": "gateway HTTP",
    "gateway-throttled": "gateway HTTP + policy",
}
units = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

def ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * units[m.group(2)]

def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    non2xx = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = sum(int(x) for x in sock.groups()) if sock else 0
    return rps, p50, p99, non2xx, errors

cells = {}
for target in order:
    for c in conns:
        runs = [parse(os.path.join(folder, f"r{r}_{target}_c{c}.txt")) for r in range(1, int(rounds) + 1)]
        cells[target, c] = {
            "rps": statistics.median(r[0] for r in runs),
            "rps_min": min(r[0] for r in runs),
            "rps_max": max(r[0] for r in runs),
            "p50": statistics.median(r[1] for r in runs),
            "p99": statistics.median(r[2] for r in runs),
            "non2xx": sum(r[3] for r in runs),
            "errors": sum(r[4] for r in runs),
        }

print()
print(f"wrk -t{threads} -c<N> -d{duration}s --latency, keep-alive, 1 KiB body; {rounds} interleaved round(s); "
      f"median over rounds (req/s range = lowest-highest round); nginx worker_processes {workers}"
      + (f"; each connection waits {think} ms before each request" if think else ""))
print()
print("| target | conns | req/s (median) | req/s range | p50 ms | p99 ms | req/s vs nginx proxy | p99 vs nginx proxy | non-2xx | socket errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in conns:
    ref = cells.get(("nginx-proxy", c))
    for target in order:
        cell = cells[target, c]
        if ref is not None and target != "backend":
            ratio = f"{cell['rps'] / ref['rps']:.2f}x"
            p99_ratio = f"{cell['p99'] / ref['p99']:.2f}x"
        else:
            ratio = p99_ratio = "-"
        print(f"| {names[target]} | {c} | {cell['rps']:,.0f} | {cell['rps_min']:,.0f}-{cell['rps_max']:,.0f} | "
              f"{cell['p50']:.2f} | {cell['p99']:.2f} | {ratio} | {p99_ratio} | {cell['non2xx']} | {cell['errors']} |")
print()
bad = [(t, c) for (t, c), cell in cells.items() if cell["non2xx"] or cell["errors"]]
if bad:
    print("WARNING: non-2xx responses or socket errors in: " + ", ".join(f"{names[t]} @ {c}" for t, c in bad))
PY
log "done"
