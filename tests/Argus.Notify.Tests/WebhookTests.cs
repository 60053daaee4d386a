using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Argus.Core.Notifications;

namespace Argus.Notify.Tests;

public sealed class WebhookTests
{
    [Fact]
    public async Task Delivers_json_with_a_signature_the_receiver_can_check()
    {
        await using var sink = await HttpSink.StartAsync();
        await using var n = await Notifier.StartAsync();
        const string secret = "s3cret-for-the-hook-123";
        var target = await n.AddWebhookAsync(sink.Url("/hook"), secret);

        n.Dispatcher.Publish(Notifier.Alert(41, snapshot: "/var/lib/argus/private.jpg"));
        var got = await sink.NextAsync("/hook");

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), got.Body));
        Assert.Equal(expected, got.Headers["X-Argus-Signature"]);
        Assert.Equal("motion", got.Headers["X-Argus-Event"]);
        Assert.StartsWith("application/json", got.Headers["Content-Type"]);
        var json = JsonDocument.Parse(got.Body).RootElement;
        Assert.Equal(41, json.GetProperty("id").GetInt64());
        Assert.Equal("new", json.GetProperty("state").GetString());
        Assert.Equal("cam1", json.GetProperty("cameraId").GetString());
        Assert.Equal("driveway", json.GetProperty("zones")[0].GetString());
        Assert.False(json.TryGetProperty("snapshotPath", out _), "the local snapshot path must not leave the server");
        Assert.True(json.GetProperty("start").TryGetDateTimeOffset(out _));

        var record = Assert.Single(await n.WaitAsync(target.Id, r => r.Any(x => x.Status == DeliveryStatus.Sent)));
        Assert.Equal(record.Id.ToString(), got.Headers["X-Argus-Delivery"]);
        Assert.Equal(1, record.Attempts);
        Assert.NotNull(record.Sent);
        Assert.True(record.LatencyMs > 0);
    }

    [Fact]
    public async Task A_dead_webhook_is_retried_then_failed_while_a_healthy_one_is_served_at_once()
    {
        await using var sink = await HttpSink.StartAsync();
        await using var n = await Notifier.StartAsync(o => (o.MaxAttempts, o.FirstRetryDelay, o.MaxRetryDelay) = (4, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)));
        var dead = await n.AddWebhookAsync($"http://127.0.0.1:{ServiceProcess.FreePort()}/nobody");
        var healthy = await n.AddWebhookAsync(sink.Url("/ok"));

        n.Dispatcher.Publish(Notifier.Alert(7));
        await sink.NextAsync("/ok");

        // The healthy target was served while the dead one still had retries ahead (3.5 s of backoff): it did not wait.
        Assert.DoesNotContain(await n.Log.QueryAsync(new DeliveryQuery(TargetId: dead.Id)), r => r.Status == DeliveryStatus.Failed);
        var retrying = Assert.Single(await n.WaitAsync(dead.Id, r => r.Any(x => x.Status == DeliveryStatus.Retrying)));
        Assert.Contains("refused", retrying.Error, StringComparison.OrdinalIgnoreCase);
        await n.WaitAsync(healthy.Id, r => r.Any(x => x.Status == DeliveryStatus.Sent));

        var failed = Assert.Single(await n.WaitAsync(dead.Id, r => r.Any(x => x.Status == DeliveryStatus.Failed)));
        Assert.Equal(4, failed.Attempts);
        Assert.Null(failed.Sent);

        // A later alert still reaches the healthy target.
        n.Dispatcher.Publish(Notifier.Alert(8, camera: "cam2"));
        Assert.Equal(8, JsonDocument.Parse((await sink.NextAsync("/ok")).Body).RootElement.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_client_error_fails_without_retries_and_a_server_error_is_retried()
    {
        await using var sink = await HttpSink.StartAsync();
        sink.Status["/gone"] = 404;
        sink.Status["/busy"] = 503;
        await using var n = await Notifier.StartAsync(o => o.MaxAttempts = 3);
        var gone = await n.AddWebhookAsync(sink.Url("/gone"));
        var busy = await n.AddWebhookAsync(sink.Url("/busy"));

        n.Dispatcher.Publish(Notifier.Alert(9));

        var failed = Assert.Single(await n.WaitAsync(gone.Id, r => r.Any(x => x.Status == DeliveryStatus.Failed)));
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("404", failed.Error);
        var busyFailed = Assert.Single(await n.WaitAsync(busy.Id, r => r.Any(x => x.Status == DeliveryStatus.Failed)));
        Assert.Equal(3, busyFailed.Attempts);
        Assert.Contains("503", busyFailed.Error);
        await sink.NextAsync("/gone");
        Assert.Equal(0, sink.Count("/gone"));
        for (var i = 0; i < 3; i++) await sink.NextAsync("/busy");
    }

    [Fact]
    public async Task Duplicates_and_excess_are_logged_not_sent()
    {
        await using var sink = await HttpSink.StartAsync();
        await using var n = await Notifier.StartAsync();
        var target = await n.AddWebhookAsync(sink.Url("/hook"), change: t => t with { MaxPerMinute = 2, DedupWindow = TimeSpan.FromMinutes(5) });

        n.Dispatcher.Publish(Notifier.Alert(1));                      // sent (token 1)
        n.Dispatcher.Publish(Notifier.Alert(1));                      // same event and state: deduplicated
        n.Dispatcher.Publish(Notifier.Alert(2));                      // same camera and type within the window: deduplicated
        n.Dispatcher.Publish(Notifier.Alert(3, camera: "cam2"));      // sent (token 2)
        n.Dispatcher.Publish(Notifier.Alert(4, camera: "cam3"));      // rate-limited
        n.Dispatcher.Publish(Notifier.Alert(4, AlertStates.End, camera: "cam3")); // its end is held back too

        var log = await n.WaitAsync(target.Id, r => r.Count == 6);
        string Status(long id, string state, int nth = 0) => log.Where(r => r.EventId == id && r.State == state).OrderBy(r => r.Id).ElementAt(nth).Status;
        Assert.Equal(DeliveryStatus.Sent, Status(1, "new"));
        Assert.Equal(DeliveryStatus.Deduplicated, Status(1, "new", 1));
        Assert.Equal(DeliveryStatus.Deduplicated, Status(2, "new"));
        Assert.Equal(DeliveryStatus.Sent, Status(3, "new"));
        Assert.Equal(DeliveryStatus.RateLimited, Status(4, "new"));
        Assert.Equal(DeliveryStatus.RateLimited, Status(4, "end"));
        Assert.Equal(1, JsonDocument.Parse((await sink.NextAsync("/hook")).Body).RootElement.GetProperty("id").GetInt64());
        Assert.Equal(3, JsonDocument.Parse((await sink.NextAsync("/hook")).Body).RootElement.GetProperty("id").GetInt64());
        Assert.Equal(0, sink.Count("/hook"));
        Assert.Equal(2, (await n.Log.QueryAsync(new DeliveryQuery(Status: DeliveryStatus.Deduplicated))).Count);
    }

    [Fact]
    public async Task Routing_follows_event_types_cameras_and_rules()
    {
        await using var sink = await HttpSink.StartAsync();
        await using var n = await Notifier.StartAsync();
        await n.AddWebhookAsync(sink.Url("/alarms"), change: t => t with { Events = ["alarm"], Cameras = ["cam2"], DedupWindow = TimeSpan.Zero });
        await n.AddWebhookAsync(sink.Url("/night"), change: t => t with { Rules = ["night"], DedupWindow = TimeSpan.Zero });
        var disabled = await n.AddWebhookAsync(sink.Url("/off"), change: t => t with { Enabled = false });

        n.Dispatcher.Publish(Notifier.Alert(1, type: AlertTypes.Alarm, camera: "cam1"));
        n.Dispatcher.Publish(Notifier.Alert(2, type: AlertTypes.Alarm, camera: "cam2"));
        n.Dispatcher.Publish(Notifier.Alert(3) with { Rule = "day" });

        Assert.Equal(2, JsonDocument.Parse((await sink.NextAsync("/alarms")).Body).RootElement.GetProperty("id").GetInt64());
        Assert.Equal(1, JsonDocument.Parse((await sink.NextAsync("/night")).Body).RootElement.GetProperty("id").GetInt64());
        Assert.Equal(2, JsonDocument.Parse((await sink.NextAsync("/night")).Body).RootElement.GetProperty("id").GetInt64());
        // Event 3 (rule "day") goes nowhere; a later marker, in queue order, proves it was passed over.
        n.Dispatcher.Publish(Notifier.Alert(4, type: AlertTypes.Alarm, camera: "cam2"));
        Assert.Equal(4, JsonDocument.Parse((await sink.NextAsync("/alarms")).Body).RootElement.GetProperty("id").GetInt64());
        Assert.Equal(4, JsonDocument.Parse((await sink.NextAsync("/night")).Body).RootElement.GetProperty("id").GetInt64());
        Assert.Empty(await n.Log.QueryAsync(new DeliveryQuery(TargetId: disabled.Id)));
    }

    [Fact]
    public async Task A_test_send_reaches_the_target_and_is_logged()
    {
        await using var sink = await HttpSink.StartAsync();
        await using var n = await Notifier.StartAsync();
        var target = await n.AddWebhookAsync(sink.Url("/hook"));

        var record = await n.Dispatcher.SendTestAsync(target.Id);

        Assert.Equal(DeliveryStatus.Sent, record!.Status);
        Assert.Equal("test", (await sink.NextAsync("/hook")).Headers["X-Argus-Event"]);
        Assert.Null(await n.Dispatcher.SendTestAsync("nosuchtarget"));
    }
}
