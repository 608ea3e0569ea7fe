using System.Net;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>CORS for APIs with cors on: preflight answered by the gateway, CORS headers on every actual answer.</summary>
public sealed class CorsTests
{
    private static HttpRequestMessage Preflight(string path, string method, string? requestHeaders = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", method);
        if (requestHeaders is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", requestHeaders);
        }

        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task A_preflight_for_a_cors_api_is_answered_without_the_backend_and_actual_answers_carry_cors_headers()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var host = await DataPlaneTestHost.StartAsync();
        var forwarded = await host.CreateApiAsync(host.DefaultGroupId, $$"""
            "name":"cors_http","req_method":"PUT","req_uri":"/cors/items/{id}","backend_type":"HTTP","cors":true,
            "req_params":[{"name":"id","location":"PATH","type":"STRING","required":1}],
            "backend_params":[{"name":"id","location":"PATH","origin":"REQUEST","value":"id"}],
            "backend_api":{"url_domain":"{{backend.Address}}","req_protocol":"HTTP","req_method":"PUT","req_uri":"/items/{id}","timeout":5000}
            """);
        var mock = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"cors_mock","req_method":"GET","req_uri":"/cors/mock","backend_type":"MOCK","cors":true,"mock_info":{"result_content":"hi"},
            "req_params":[{"name":"n","location":"QUERY","type":"NUMBER","required":2,"valid_enable":1,"max_num":5}]
            """);
        await host.PublishAsync(forwarded);
        await host.PublishAsync(mock);
        using var client = host.DataPlaneClient();

        using (var preflight = await client.SendAsync(Preflight("/cors/items/7", "PUT", "Content-Type, X-Custom")))
        {
            Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
            Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
            Assert.Equal("PUT", Header(preflight, "Access-Control-Allow-Methods"));
            Assert.Equal("Content-Type, X-Custom", Header(preflight, "Access-Control-Allow-Headers"));
            Assert.Equal("172800", Header(preflight, "Access-Control-Max-Age"));
            Assert.Null(Header(preflight, "X-Backend")); // the backend was not called
            Assert.Equal(0, preflight.Content.Headers.ContentLength);
        }

        using (var put = new HttpRequestMessage(HttpMethod.Put, "/cors/items/7") { Content = new StringContent("x") })
        {
            put.Headers.Add("Origin", "https://app.example");
            using var response = await client.SendAsync(put);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("echo", Header(response, "X-Backend"));
            Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
            Assert.Equal("X-Request-Id", Header(response, "Access-Control-Expose-Headers"));
        }

        using (var response = await client.GetAsync("/cors/mock"))
        {
            Assert.Equal("hi", await response.Content.ReadAsStringAsync());
            Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
            Assert.Equal("X-Request-Id", Header(response, "Access-Control-Expose-Headers"));
        }

        // A gateway error of a cors API is readable by the page too.
        using (var invalid = await client.GetAsync("/cors/mock?n=9"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Equal("*", Header(invalid, "Access-Control-Allow-Origin"));
        }

        // The preflight asks about a method no cors API serves on that path: not answered as CORS.
        using (var wrongMethod = await client.SendAsync(Preflight("/cors/items/7", "DELETE")))
        {
            Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
            Assert.Null(Header(wrongMethod, "Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task Apis_without_cors_get_no_cors_headers_and_no_preflight_answer()
    {
        await using var host = await DataPlaneTestHost.StartAsync();
        var plain = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"plain","req_method":"GET","req_uri":"/plain","backend_type":"MOCK","mock_info":{"result_content":"plain"}
            """);
        var options = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"own_options","req_method":"OPTIONS","req_uri":"/mixed","backend_type":"MOCK","mock_info":{"result_content":"own options"}
            """);
        var mixed = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"mixed_get","req_method":"GET","req_uri":"/mixed","backend_type":"MOCK","cors":true,"mock_info":{"result_content":"mixed"}
            """);
        await host.PublishAsync(plain);
        await host.PublishAsync(options);
        await host.PublishAsync(mixed);
        using var client = host.DataPlaneClient();

        using (var preflight = await client.SendAsync(Preflight("/plain", "GET")))
        {
            Assert.Equal(HttpStatusCode.NotFound, preflight.StatusCode);
            Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        }

        using (var response = await client.GetAsync("/plain"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(Header(response, "Access-Control-Allow-Origin"));
            Assert.Null(Header(response, "Access-Control-Expose-Headers"));
        }

        // The provider's own OPTIONS API (without cors) keeps serving OPTIONS on its path.
        using (var own = await client.SendAsync(Preflight("/mixed", "GET")))
        {
            Assert.Equal("own options", await own.Content.ReadAsStringAsync());
            Assert.Null(Header(own, "Access-Control-Allow-Methods"));
        }
    }
}
