namespace Gateway.Benchmarks.Http;

/// <summary>Wire data for the HTTP/1.1 codec benchmarks.</summary>
internal static class RequestData
{
    /// <summary>A browser-like GET with eight header fields.</summary>
    public static ReadOnlySpan<byte> TypicalGet =>
        "GET /api/v1/orders/12345?expand=items&page=2 HTTP/1.1\r\n"u8 +
        "Host: api.example.com\r\n"u8 +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36\r\n"u8 +
        "Accept: application/json, text/plain, */*\r\n"u8 +
        "Accept-Encoding: gzip, deflate, br\r\n"u8 +
        "Accept-Language: en-US,en;q=0.9\r\n"u8 +
        "Cookie: session=4f8c2a9e7b1d4c3a9e8f7a6b5c4d3e2f; theme=dark\r\n"u8 +
        "X-Request-Id: 2b7e1516-28ae-4d2a-9f3c-0a1b2c3d4e5f\r\n"u8 +
        "Connection: keep-alive\r\n"u8 +
        "\r\n"u8;

    /// <summary>A JSON POST framed by Content-Length.</summary>
    public static ReadOnlySpan<byte> PostWithContentLength =>
        "POST /api/v1/orders HTTP/1.1\r\n"u8 +
        "Host: api.example.com\r\n"u8 +
        "User-Agent: gateway-bench/1.0\r\n"u8 +
        "Accept: application/json\r\n"u8 +
        "Content-Type: application/json\r\n"u8 +
        "Content-Length: 90\r\n"u8 +
        "\r\n"u8 +
        "{\"customer\":\"c-1029\",\"items\":[{\"sku\":\"A-1\",\"qty\":2},{\"sku\":\"B-7\",\"qty\":1}],\"express\":true}"u8;

    /// <summary>A chunked body: four 256-byte chunks, one with an extension, and a trailer.</summary>
    public static byte[] ChunkedBody()
    {
        var body = new List<byte>();
        for (int i = 0; i < 4; i++)
        {
            body.AddRange(i == 1 ? "100;name=value\r\n"u8.ToArray() : "100\r\n"u8.ToArray());
            body.AddRange(Enumerable.Repeat((byte)('a' + i), 256));
            body.AddRange("\r\n"u8.ToArray());
        }

        body.AddRange("0\r\nX-Checksum: 9f86d081\r\n\r\n"u8.ToArray());
        return body.ToArray();
    }

    /// <summary>An upstream response head.</summary>
    public static ReadOnlySpan<byte> TypicalResponse =>
        "HTTP/1.1 200 OK\r\n"u8 +
        "Date: Tue, 14 May 2024 10:00:00 GMT\r\n"u8 +
        "Server: nginx\r\n"u8 +
        "Content-Type: application/json; charset=utf-8\r\n"u8 +
        "Content-Length: 1024\r\n"u8 +
        "Cache-Control: no-cache\r\n"u8 +
        "Connection: keep-alive\r\n"u8 +
        "\r\n"u8;
}
