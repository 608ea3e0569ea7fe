using System.Net;
using System.Text;
using Gateway.Apig.VpcChannels;
using Gateway.Net.Balancing;

namespace Gateway.Net.Health;

/// <summary>How a channel's members are probed.</summary>
internal enum HealthCheckProtocol
{
    Tcp,
    Http,
    Https,
}

/// <summary>
/// A channel's health check (<c>vpc_health_config</c>) as the checker runs it. Records compare by value, so a
/// reconfiguration can tell an unchanged check from a changed one.
/// </summary>
internal sealed record HealthCheckSettings(
    HealthCheckProtocol Protocol,
    string Path,
    string Method,
    int Port,
    int ThresholdNormal,
    int ThresholdAbnormal,
    TimeSpan Interval,
    TimeSpan Timeout,
    HttpStatusCodeSet Codes,
    bool EnableClientSsl)
{
    /// <summary>
    /// The settings of a stored health check, or null when there is none or it is disabled (status 2). Stored values
    /// were validated; anything out of range here is clamped to the documented bounds rather than refused.
    /// </summary>
    public static HealthCheckSettings? From(VpcHealthConfig? config)
    {
        if (config is null || config.Status == 2)
        {
            return null;
        }

        HealthCheckProtocol? protocol = config.Protocol.ToUpperInvariant() switch
        {
            "TCP" => HealthCheckProtocol.Tcp,
            "HTTP" => HealthCheckProtocol.Http,
            "HTTPS" => HealthCheckProtocol.Https,
            _ => null,
        };
        if (protocol is null)
        {
            return null;
        }

        var interval = Math.Clamp(config.TimeInterval, 1, 300);
        var timeout = Math.Clamp(config.Timeout, 1, 30);
        return new HealthCheckSettings(
            protocol.Value,
            IsRequestTarget(config.Path) ? config.Path! : "/",
            string.Equals(config.Method, "HEAD", StringComparison.OrdinalIgnoreCase) ? "HEAD" : "GET",
            config.Port is > 0 and <= 65535 ? config.Port : 0,
            Math.Clamp(config.ThresholdNormal, 1, 10),
            Math.Clamp(config.ThresholdAbnormal, 1, 10),
            TimeSpan.FromSeconds(interval),
            // A probe must end before the next one is due.
            TimeSpan.FromSeconds(Math.Min(timeout, interval)),
            HttpStatusCodeSet.ParseOrDefault(config.HttpCode),
            config.EnableClientSsl);
    }

    // The path goes into a request line: a leading slash and visible ASCII only.
    private static bool IsRequestTarget(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return false;
        }

        foreach (var c in path)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One member under one health check: where the probe goes and what it sends.</summary>
internal sealed class HealthCheckTarget
{
    private byte[]? _request;

    public HealthCheckTarget(MemberHealth member, HealthCheckSettings settings)
    {
        Member = member;
        Settings = settings;
        Host = member.Host;
        Port = settings.Port != 0 ? settings.Port : member.Port;
    }

    public MemberHealth Member { get; }

    public HealthCheckSettings Settings { get; }

    /// <summary>The member's host.</summary>
    public string Host { get; }

    /// <summary>The check's port, or the member's effective port when the check has none.</summary>
    public int Port { get; }

    /// <summary>
    /// The whole HTTP request of an HTTP or HTTPS check, built on the first probe (a reconfiguration that finds the
    /// check unchanged drops its new targets unused); empty for TCP.
    /// </summary>
    public ReadOnlyMemory<byte> Request => _request ??= BuildRequest();

    private byte[] BuildRequest()
    {
        if (Settings.Protocol == HealthCheckProtocol.Tcp)
        {
            return [];
        }

        var defaultPort = Settings.Protocol == HealthCheckProtocol.Https ? 443 : 80;
        var host = IPAddress.TryParse(Host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Host}]"
            : Host;
        var authority = Port == defaultPort ? host : $"{host}:{Port}";
        return Encoding.ASCII.GetBytes($"{Settings.Method} {Settings.Path} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: apig-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n");
    }

    public override string ToString() => $"{Settings.Protocol} {Host}:{Port}";
}
