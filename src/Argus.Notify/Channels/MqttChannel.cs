using System.Text;
using System.Text.Json;
using Argus.Core.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Argus.Notify.Channels;

/// <summary>
/// The MQTT broker connection, kept open with reconnects (0.5 s doubling to <see cref="NotificationOptions.MqttReconnectMax"/>).
/// Topics under the prefix (default <c>argus</c>), in the style Frigate users know:
/// <c>available</c> online/offline (retained; offline is the last will), <c>events</c> JSON {type, before, after},
/// <c>&lt;camera&gt;/motion|alarm|tamper</c> ON/OFF (retained), <c>&lt;camera&gt;/online</c> ON/OFF (retained),
/// <c>armed</c> and <c>&lt;camera&gt;/armed</c> ON/OFF (retained); commands on <c>armed/set</c> and <c>&lt;camera&gt;/armed/set</c>.
/// Camera topics use the camera id (stable and topic-safe; names may contain '/', '+' or '#').
/// </summary>
public sealed class MqttChannel(INotificationSettingsStore settings, IServiceProvider services, IOptions<NotificationOptions> options,
    ILogger<MqttChannel> log) : INotificationChannel, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _configure = new(1, 1);
    private readonly Dictionary<long, AlertEvent> _last = new();
    private IMqttClient? _client;
    private MqttSettings? _settings;
    private CancellationTokenSource? _loop;
    private Task _loopTask = Task.CompletedTask;
    private volatile string? _lastError;

    public ChannelKind Kind => ChannelKind.Mqtt;
    public bool IsConfigured => _settings is not null;
    public bool IsConnected => _client?.IsConnected == true;
    public string? LastError => _lastError;

    /// <summary>(Re)reads the broker settings and connects in the background; no settings or disabled: disconnects.</summary>
    public async Task ReconfigureAsync(CancellationToken ct = default)
    {
        var next = await settings.GetMqttAsync(ct);
        await _configure.WaitAsync(ct);
        try
        {
            next = next is { Enabled: true } ? next : null;
            // Unchanged settings keep the connection (targets reload through here on every change).
            if (next == _settings && (next is null || _loop is not null)) return;
            await StopAsync();
            _settings = next;
            if (_settings is null) return;
            _loop = new CancellationTokenSource();
            var (s, token) = (_settings, _loop.Token);
            _loopTask = Task.Run(() => KeepConnectedAsync(s, token), CancellationToken.None);
        }
        finally { _configure.Release(); }
    }

    private async Task StopAsync()
    {
        if (_loop is { } loop)
        {
            await loop.CancelAsync();
            await _loopTask;
            loop.Dispose();
            _loop = null;
        }
        if (_client is { } client)
        {
            if (client.IsConnected)
            {
                // A clean disconnect does not fire the will, so say offline ourselves.
                try
                {
                    await client.PublishAsync(Message(Topic(null, "available"), "offline", retain: true));
                    await client.DisconnectAsync();
                }
                catch (Exception e) { log.LogDebug("MQTT disconnect: {Error}", e.Message); }
            }
            client.Dispose();
            _client = null;
        }
    }

    private async Task KeepConnectedAsync(MqttSettings s, CancellationToken ct)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client = client;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(s.Host, s.Port)
            .WithClientId(s.ClientId)
            .WithCleanSession()
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithWillTopic(Topic(null, "available"))
            .WithWillPayload("offline")
            .WithWillRetain();
        if (s.User is not null) builder.WithCredentials(s.User, s.Password);
        var connectOptions = builder.Build();
        var delay = TimeSpan.FromMilliseconds(500);
        var wasConnected = false;
        while (!ct.IsCancellationRequested)
        {
            if (!client.IsConnected)
            {
                if (wasConnected) log.LogWarning("MQTT broker {Host}:{Port} disconnected; reconnecting", s.Host, s.Port);
                wasConnected = false;
                try
                {
                    await client.ConnectAsync(connectOptions, ct);
                    await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter(Topic(null, "armed/set"), MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithTopicFilter(Topic("+", "armed/set"), MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build(), ct);
                    await client.PublishAsync(Message(Topic(null, "available"), "online", retain: true), ct);
                    log.LogInformation("MQTT connected to {Host}:{Port}", s.Host, s.Port);
                    _lastError = null;
                    wasConnected = true;
                    delay = TimeSpan.FromMilliseconds(500);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
                catch (Exception e)
                {
                    var error = $"cannot connect to {s.Host}:{s.Port}: {e.Message}";
                    if (error != _lastError) log.LogWarning("MQTT {Error}; retrying", error);
                    _lastError = error;
                }
            }
            try { await Task.Delay(client.IsConnected ? TimeSpan.FromMilliseconds(500) : delay, ct); }
            catch (OperationCanceledException) { break; }
            if (!client.IsConnected) delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MqttReconnectMax.Ticks));
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.ConvertPayloadToString()?.Trim().ToUpperInvariant();
        var prefix = _settings?.TopicPrefix ?? "argus";
        if (!topic.StartsWith(prefix + "/", StringComparison.Ordinal) || !topic.EndsWith("/armed/set", StringComparison.Ordinal)) return;
        string? camera = topic == prefix + "/armed/set" ? null : topic[(prefix.Length + 1)..^"/armed/set".Length];
        if (camera is not null && !Argus.Core.Cameras.CameraId.IsValid(camera)) return;
        if (payload is not ("ON" or "OFF"))
        {
            log.LogWarning("MQTT {Topic}: payload must be ON or OFF", topic);
            return;
        }
        if (services.GetService<IArmingCommands>() is not { } arming)
        {
            log.LogWarning("MQTT {Topic}: arming is not available", topic);
            return;
        }
        try { await arming.SetArmedAsync(camera, payload == "ON", "mqtt"); }
        catch (Exception ex) { log.LogWarning(ex, "MQTT {Topic}: arming failed", topic); }
    }

    /// <summary>Publishes the armed state (retained): on <c>argus/armed</c> for the system, <c>argus/&lt;camera&gt;/armed</c> for one camera.</summary>
    public async Task PublishArmedAsync(string? cameraId, bool armed)
    {
        if (_client is not { IsConnected: true } client) return;
        await client.PublishAsync(Message(Topic(cameraId, "armed"), armed ? "ON" : "OFF", retain: true));
    }

    public async Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertEvent alert, long deliveryId, CancellationToken ct)
    {
        if (_settings is null) return DeliveryOutcome.Fail("no MQTT broker is configured (settings/mqtt).");
        if (_client is not { IsConnected: true } client) return DeliveryOutcome.Retry($"MQTT broker not connected{(_lastError is null ? "" : ": " + _lastError)}");
        var messages = new List<MqttApplicationMessage>();
        // One sender at a time keeps "before" right and the retained states in event order.
        await _gate.WaitAsync(ct);
        try
        {
            _last.TryGetValue(alert.Id, out var before);
            var json = JsonSerializer.SerializeToUtf8Bytes(new { type = alert.State, before, after = alert }, AlertJson.Options);
            messages.Add(Message(Topic(null, "events"), json, retain: false));
            if (alert.CameraId is { } camera && StateTopic(alert) is { } state) messages.Add(Message(Topic(camera, state.Topic), state.Value, retain: true));
            foreach (var m in messages)
            {
                var result = await client.PublishAsync(m, ct);
                if (!result.IsSuccess) return DeliveryOutcome.Retry($"MQTT publish to {m.Topic}: {result.ReasonCode} {result.ReasonString}");
            }
            if (alert.State == AlertStates.End) _last.Remove(alert.Id);
            else
            {
                if (_last.Count > 10000) _last.Clear();
                _last[alert.Id] = alert;
            }
            return DeliveryOutcome.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return DeliveryOutcome.Retry(DeliveryOutcome.Describe(e));
        }
        finally { _gate.Release(); }
    }

    private static (string Topic, string Value)? StateTopic(AlertEvent e)
    {
        var on = e.State != AlertStates.End;
        return e.Type switch
        {
            AlertTypes.Motion => ("motion", on ? "ON" : "OFF"),
            AlertTypes.Alarm => ("alarm", on ? "ON" : "OFF"),
            AlertTypes.Tamper => ("tamper", on ? "ON" : "OFF"),
            AlertTypes.Offline => ("online", on ? "OFF" : "ON"),
            AlertTypes.Online => ("online", "ON"),
            _ => null,
        };
    }

    private string Topic(string? camera, string leaf) => $"{_settings?.TopicPrefix ?? "argus"}/{(camera is null ? "" : camera + "/")}{leaf}";

    private static MqttApplicationMessage Message(string topic, string payload, bool retain) => Message(topic, Encoding.UTF8.GetBytes(payload), retain);

    private static MqttApplicationMessage Message(string topic, byte[] payload, bool retain) => new MqttApplicationMessageBuilder()
        .WithTopic(topic).WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    /// <summary>Says offline and disconnects until the next <see cref="ReconfigureAsync"/>.</summary>
    public async Task DisconnectAsync()
    {
        await _configure.WaitAsync();
        try
        {
            await StopAsync();
            _settings = null;
        }
        finally { _configure.Release(); }
    }

    public async ValueTask DisposeAsync() => await DisconnectAsync();
}
