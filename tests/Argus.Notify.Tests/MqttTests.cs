using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Argus.Core.Notifications;
using Argus.Notify.Channels;
using MQTTnet;

namespace Argus.Notify.Tests;

public sealed class MqttTests
{
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        public Channel<(string Topic, string Payload, bool Retain)> Messages { get; } = Channel.CreateUnbounded<(string, string, bool)>();

        public static async Task<Subscriber> ConnectAsync(int port)
        {
            var s = new Subscriber();
            s._client.ApplicationMessageReceivedAsync += e =>
                s.Messages.Writer.WriteAsync((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? "", e.ApplicationMessage.Retain)).AsTask();
            await s._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-" + Guid.NewGuid()).Build());
            await s._client.SubscribeAsync("argus/#");
            return s;
        }

        /// <summary>Every message read so far, including those <see cref="NextAsync"/> skipped.</summary>
        public List<(string Topic, string Payload, bool Retain)> Seen { get; } = [];

        public Task PublishAsync(string topic, string payload) => _client.PublishStringAsync(topic, payload);

        /// <summary>The next message on <paramref name="topic"/> (others are skipped); fails after 20 s.</summary>
        public async Task<(string Topic, string Payload, bool Retain)> NextAsync(string topic)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var m = await Messages.Reader.ReadAsync(cts.Token);
                Seen.Add(m);
                if (m.Topic == topic) return m;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _client.DisconnectAsync();
            _client.Dispose();
        }
    }

    private static async Task ConnectedAsync(Notifier n)
    {
        var mqtt = n.Get<MqttChannel>();
        for (var i = 0; i < 400 && !mqtt.IsConnected; i++) await Task.Delay(50);
        Assert.True(mqtt.IsConnected, mqtt.LastError);
    }

    [Fact]
    public async Task Publishes_events_and_motion_states_in_frigate_style_and_takes_arming_commands()
    {
        await using var n = await Notifier.StartAsync();
        using var broker = await ServiceProcess.MosquittoAsync(ServiceProcess.FreePort(), n.Dir);
        await n.Settings.SaveMqttAsync(new MqttSettings { Host = "127.0.0.1", Port = broker.Port });
        await n.Dispatcher.ReloadAsync();
        await ConnectedAsync(n);
        await using var sub = await Subscriber.ConnectAsync(broker.Port);
        Assert.Equal("online", (await sub.NextAsync("argus/available")).Payload);
        sub.Seen.Clear();
        // Adding a target reloads the dispatcher; the broker connection must stay (no offline/online flap).
        await n.AddWebhookAsync("http://127.0.0.1:9/unused", change: t => t with { Events = ["none"] });

        n.Dispatcher.Publish(Notifier.Alert(5));
        var first = JsonDocument.Parse((await sub.NextAsync("argus/events")).Payload).RootElement;
        Assert.Equal("new", first.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("before").ValueKind);
        Assert.Equal(5, first.GetProperty("after").GetProperty("id").GetInt64());
        Assert.Equal("ON", (await sub.NextAsync("argus/cam1/motion")).Payload);

        n.Dispatcher.Publish(Notifier.Alert(5, AlertStates.End));
        var end = JsonDocument.Parse((await sub.NextAsync("argus/events")).Payload).RootElement;
        Assert.Equal("end", end.GetProperty("type").GetString());
        Assert.Equal("new", end.GetProperty("before").GetProperty("state").GetString());
        Assert.Equal("end", end.GetProperty("after").GetProperty("state").GetString());
        Assert.Equal("OFF", (await sub.NextAsync("argus/cam1/motion")).Payload);
        await using (var late = await Subscriber.ConnectAsync(broker.Port))
        {
            var kept = await late.NextAsync("argus/cam1/motion");
            Assert.Equal(("OFF", true), (kept.Payload, kept.Retain));
        }
        Assert.Equal(2, (await n.WaitAsync(NotificationDispatcher.MqttTargetId, r => r.Count(x => x.Status == DeliveryStatus.Sent) == 2)).Count);

        await sub.PublishAsync("argus/cam1/armed/set", "ON");
        await sub.PublishAsync("argus/armed/set", "off");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(("cam1", true, "mqtt"), await n.Arming.Calls.Reader.ReadAsync(cts.Token));
        Assert.Equal((null, false, "mqtt"), await n.Arming.Calls.Reader.ReadAsync(cts.Token));

        await n.Get<MqttChannel>().PublishArmedAsync("cam1", true);
        Assert.Equal("ON", (await sub.NextAsync("argus/cam1/armed")).Payload);
        Assert.DoesNotContain(sub.Seen, m => m.Topic == "argus/available");
    }

    [Fact]
    public async Task A_broker_that_is_down_at_start_is_reconnected_and_the_delivery_retried()
    {
        await using var n = await Notifier.StartAsync(o => o.MaxAttempts = 50);
        var port = ServiceProcess.FreePort();
        await n.Settings.SaveMqttAsync(new MqttSettings { Host = "127.0.0.1", Port = port });
        await n.Dispatcher.ReloadAsync();

        n.Dispatcher.Publish(Notifier.Alert(6, type: AlertTypes.Alarm));
        var retrying = Assert.Single(await n.WaitAsync(NotificationDispatcher.MqttTargetId, r => r.Any(x => x.Status == DeliveryStatus.Retrying)));
        Assert.Contains("not connected", retrying.Error);
        Assert.Contains("cannot connect", n.Get<MqttChannel>().LastError);

        using var broker = await ServiceProcess.MosquittoAsync(port, n.Dir);
        var sent = Assert.Single(await n.WaitAsync(NotificationDispatcher.MqttTargetId, r => r.Any(x => x.Status == DeliveryStatus.Sent)));
        Assert.True(sent.Attempts > 1);
        await using var sub = await Subscriber.ConnectAsync(broker.Port);
        var alarm = await sub.NextAsync("argus/cam1/alarm");
        Assert.Equal(("ON", true), (alarm.Payload, alarm.Retain));
    }
}
