using System.Net;

namespace Gateway.FunctionalTests.DataPlane;

/// <summary>The optional access log: one line per request, written off the request path, without queries.</summary>
public sealed class AccessLogTests
{
    [Fact]
    public async Task Every_answered_request_gets_a_line_with_its_id_status_and_api_but_never_its_query()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-access-log-");
        var path = Path.Combine(folder.FullName, "access.log");
        try
        {
            string apiId;
            string okId;
            string missingId;
            await using (var host = await DataPlaneTestHost.StartAsync(options => options.AccessLogPath = path))
            {
                apiId = await host.CreateApiAsync(host.DefaultGroupId, """
                    "name":"logged","req_method":"GET","req_uri":"/logged","backend_type":"MOCK","mock_info":{"result_content":"ok"}
                    """);
                await host.PublishAsync(apiId);
                await host.WaitForDataPlaneAsync();
                using var client = host.DataPlaneClient();
                using (var ok = await client.GetAsync("/logged?app_code=secret-value"))
                {
                    Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
                    okId = ok.Headers.GetValues("X-Request-Id").Single();
                }

                using (var missing = await client.GetAsync("/nowhere"))
                {
                    Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
                    missingId = missing.Headers.GetValues("X-Request-Id").Single();
                }
            }

            // Stopping the host drains the log's queue to the file.
            var lines = await File.ReadAllLinesAsync(path);
            var okLine = Assert.Single(lines, line => line.Contains(okId, StringComparison.Ordinal));
            Assert.Matches($"^\\d{{4}}-\\d\\d-\\d\\dT\\S+ {okId} 127\\.0\\.0\\.1 \"GET /logged\" 200 {apiId} [0-9.]+$", okLine);
            var missingLine = Assert.Single(lines, line => line.Contains(missingId, StringComparison.Ordinal));
            Assert.Contains("\"GET /nowhere\" 404 - ", missingLine, StringComparison.Ordinal);
            Assert.DoesNotContain(lines, line => line.Contains("secret-value", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
