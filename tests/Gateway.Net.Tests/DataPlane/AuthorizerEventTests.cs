using System.Buffers;
using System.Text.Json;
using Gateway.Net.DataPlane.Authorizers;

namespace Gateway.Net.Tests.DataPlane;

public sealed class AuthorizerEventTests
{
    private static JsonDocument Event(string request, string? userData, byte[]? body = null)
    {
        var head = EngineHarness.ParseHead(request);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            AuthorizerEvent.Write(json, head, "api-1"u8, head[head.Stage], "0123456789abcdef0123456789abcdef"u8, "10.1.2.3"u8, userData, body);
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    [Fact]
    public void The_event_carries_method_path_headers_query_context_and_user_data()
    {
        using var sent = Event(
            "POST /orders/a%20b?x=1&y=%E2%82%AC&x=2&=skipped&flag&p=a+b HTTP/1.1\r\nHost: h\r\nX-Token: t1\r\nx-token: t2\r\nX-Stage: TEST\r\nContent-Length: 0\r\n\r\n",
            "custom data");
        var root = sent.RootElement;
        Assert.Equal("FRONTEND", root.GetProperty("type").GetString());
        Assert.Equal("POST", root.GetProperty("httpMethod").GetString());
        Assert.Equal("/orders/a%20b", root.GetProperty("path").GetString());

        var headers = root.GetProperty("headers");
        Assert.Equal("h", headers.GetProperty("host").GetString());
        Assert.Equal("t1,t2", headers.GetProperty("x-token").GetString());
        Assert.False(headers.TryGetProperty("X-Token", out _));

        var query = root.GetProperty("queryStringParameters");
        Assert.Equal("1,2", query.GetProperty("x").GetString());
        Assert.Equal("€", query.GetProperty("y").GetString());
        Assert.Equal("", query.GetProperty("flag").GetString());
        Assert.Equal("a+b", query.GetProperty("p").GetString());
        Assert.Equal(4, query.EnumerateObject().Count());

        var context = root.GetProperty("requestContext");
        Assert.Equal("api-1", context.GetProperty("apiId").GetString());
        Assert.Equal("TEST", context.GetProperty("stage").GetString());
        Assert.Equal("10.1.2.3", context.GetProperty("sourceIp").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef", context.GetProperty("requestId").GetString());
        Assert.Equal("custom data", root.GetProperty("user_data").GetString());
        Assert.Equal("", root.GetProperty("body").GetString());
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void A_text_body_is_sent_as_text_and_any_other_body_as_base64()
    {
        const string Request = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n";
        using (var text = Event(Request, null, "{\"q\":\"€\"}"u8.ToArray()))
        {
            Assert.Equal("{\"q\":\"€\"}", text.RootElement.GetProperty("body").GetString());
            Assert.False(text.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        }

        byte[] binary = [0xff, 0x00, 0xfe, 0x41];
        using var encoded = Event(Request, null, binary);
        Assert.Equal(Convert.ToBase64String(binary), encoded.RootElement.GetProperty("body").GetString());
        Assert.True(encoded.RootElement.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void Header_bytes_that_are_not_utf8_are_sent_as_latin1_instead_of_failing()
    {
        using var sent = Event("GET / HTTP/1.1\r\nHost: h\r\nX-Raw: caf\u00e9\r\n\r\n", null);
        Assert.Equal("caf\u00e9", sent.RootElement.GetProperty("headers").GetProperty("x-raw").GetString());
        Assert.Equal("RELEASE", sent.RootElement.GetProperty("requestContext").GetProperty("stage").GetString());
        Assert.Equal("", sent.RootElement.GetProperty("user_data").GetString());
    }
}
