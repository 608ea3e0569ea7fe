using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;

namespace Gateway.FunctionalTests.DataPlane;

public sealed class MetricsTests
{
    [Fact]
    public async Task Requests_are_counted_by_api_and_status_on_the_Gateway_meter()
    {
        var counts = new ConcurrentDictionary<(string Api, int Status), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Gateway" && instrument.Name == "gateway.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? api = null;
            var status = 0;
            foreach (var tag in tags)
            {
                if (tag.Key == "api")
                {
                    api = tag.Value as string;
                }
                else if (tag.Key == "status")
                {
                    status = (int)tag.Value!;
                }
            }

            counts.AddOrUpdate((api ?? "", status), value, (_, old) => old + value);
        });
        listener.Start();

        await using var host = await DataPlaneTestHost.StartAsync();
        var apiId = await host.CreateApiAsync(host.DefaultGroupId, """
            "name":"metered","req_method":"GET","req_uri":"/metered","backend_type":"MOCK","mock_info":{"result_content":"m"},
            "req_params":[{"name":"must","location":"QUERY","type":"STRING","required":1}]
            """);
        await host.PublishAsync(apiId);
        using var client = host.DataPlaneClient();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync("/metered?must=1");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var bad = await client.GetAsync("/metered");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        Assert.Equal(3, counts.GetValueOrDefault((apiId, 200)));
        Assert.Equal(1, counts.GetValueOrDefault((apiId, 400)));
    }
}
