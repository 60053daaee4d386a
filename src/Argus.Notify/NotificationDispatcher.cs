using Argus.Core.Notifications;
using Argus.Notify.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Argus.Notify;

/// <summary>
/// Routes alerts to targets and delivers them. <see cref="Publish"/> only filters and enqueues (no I/O, never throws),
/// so the analysis path is not held up. Each target has its own bounded queue and worker: a slow or dead target delays
/// only itself. The worker de-duplicates, rate-limits, sends, retries transient failures with exponential backoff
/// (in order: the target's later alerts wait behind a retry, which keeps MQTT states in order), and writes every
/// outcome to the delivery log. The MQTT broker, when configured, is one implicit target (id "mqtt") taking all alerts.
/// </summary>
public sealed class NotificationDispatcher(INotificationTargetStore targets, IDeliveryLog deliveries, IEnumerable<INotificationChannel> channels,
    MqttChannel mqtt, IOptions<NotificationOptions> options, TimeProvider time, ILogger<NotificationDispatcher> log) : IAlertPublisher, IHostedService, IAsyncDisposable
{
    public const string MqttTargetId = "mqtt";

    private static readonly NotificationTarget MqttTarget = new()
    {
        Id = MqttTargetId, Kind = ChannelKind.Mqtt, Name = "MQTT broker", MaxPerMinute = 10000, DedupWindow = TimeSpan.Zero,
    };

    private readonly Dictionary<ChannelKind, INotificationChannel> _channels = channels.ToDictionary(c => c.Kind);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private volatile TargetWorker[] _workers = [];
    private Task _pruning = Task.CompletedTask;

    private TimeProvider Time => time;
    private NotificationOptions Options => options.Value;
    private ILogger Log => log;

    /// <summary>Needs the database schema (the server's StartupService, registered before, creates it).
    /// A failure to load is logged, not thrown: notifications must not keep the server from recording.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        try { await ReloadAsync(ct); }
        catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "notification targets could not be loaded; none are active"); }
        _pruning = PruneLoopAsync(_stop.Token);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stop.CancelAsync();
        var workers = _workers;
        _workers = [];
        await Task.WhenAll(workers.Select(w => w.StopAsync()).Append(_pruning)).WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await mqtt.DisconnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync(CancellationToken.None);
        _stop.Dispose();
    }

    /// <summary>Re-reads targets and the MQTT settings; call after changing either. Queued deliveries of kept targets stay.</summary>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await _reload.WaitAsync(ct);
        try
        {
            var wanted = (await targets.ListAsync(ct)).ToList();
            await mqtt.ReconfigureAsync(ct);
            if (mqtt.IsConfigured) wanted.Add(MqttTarget);
            var old = _workers.ToDictionary(w => w.Target.Id);
            var next = new List<TargetWorker>();
            foreach (var target in wanted)
            {
                if (old.Remove(target.Id, out var worker) && worker.Target.Kind == target.Kind) worker.Target = target;
                else
                {
                    if (worker is not null) _ = worker.StopAsync();
                    if (!_channels.TryGetValue(target.Kind, out var channel)) { log.LogWarning("no channel for {Kind} targets", target.Kind); continue; }
                    worker = new TargetWorker(target, channel, this, _stop.Token);
                }
                next.Add(worker);
            }
            _workers = [.. next];
            foreach (var gone in old.Values) _ = gone.StopAsync();
        }
        finally { _reload.Release(); }
    }

    public void Publish(AlertEvent alert)
    {
        try
        {
            if (!AlertStates.IsValid(alert.State)) { log.LogWarning("alert {Id} has state '{State}'; not delivered", alert.Id, alert.State); return; }
            var now = time.GetUtcNow();
            foreach (var worker in _workers)
                if (worker.Target.Wants(alert)) worker.Enqueue(alert, now);
        }
        catch (Exception e) { log.LogError(e, "publishing alert {Id} failed", alert.Id); }
    }

    /// <summary>Sends a test alert to one target now, once (no de-duplication, limit or retry), and logs it.</summary>
    public async Task<DeliveryRecord?> SendTestAsync(string targetId, CancellationToken ct = default)
    {
        var target = targetId == MqttTargetId ? (mqtt.IsConfigured ? MqttTarget : null) : await targets.GetAsync(targetId, ct);
        if (target is null || !_channels.TryGetValue(target.Kind, out var channel)) return null;
        var now = time.GetUtcNow();
        var alert = new AlertEvent(-now.ToUnixTimeMilliseconds(), AlertTypes.Test, AlertStates.New, null, null, now, null, [],
            Detail: $"test of notification target '{target.Name}'");
        var record = Record(target, alert, now, DeliveryStatus.Pending, 0, null);
        record = record with { Id = await AddAsync(record) };
        var outcome = await channel.SendAsync(target, alert, record.Id, ct);
        return await FinishAsync(record, alert, 1, outcome, final: true);
    }

    private DeliveryRecord Record(NotificationTarget target, AlertEvent alert, DateTimeOffset queued, string status, int attempts, string? error) =>
        new(0, target.Id, target.Name, target.Kind, alert.Id, alert.Type, alert.State, queued, null, attempts, status, error, null);

    /// <summary>Never lets the log stop a delivery: a failed write is logged and the delivery goes on with id 0.</summary>
    private async Task<long> AddAsync(DeliveryRecord record)
    {
        try { return await deliveries.AddAsync(record); }
        catch (Exception e) { log.LogError(e, "delivery log write failed ({Target}, event {Event})", record.TargetName, record.EventId); return 0; }
    }

    private async Task<DeliveryRecord> FinishAsync(DeliveryRecord record, AlertEvent alert, int attempts, DeliveryOutcome outcome, bool final)
    {
        var now = time.GetUtcNow();
        record = outcome.Sent
            ? record with { Status = DeliveryStatus.Sent, Attempts = attempts, Sent = now, Error = null, LatencyMs = (now - (alert.StateTime ?? record.Queued)).TotalMilliseconds }
            : record with { Status = final ? DeliveryStatus.Failed : DeliveryStatus.Retrying, Attempts = attempts, Error = outcome.Error };
        if (!outcome.Sent)
            log.LogWarning("delivery of event {Event} ({Type} {State}) to {Target} {Status} after {Attempts} attempt(s): {Error}",
                alert.Id, alert.Type, alert.State, record.TargetName, record.Status, attempts, outcome.Error);
        if (record.Id == 0) return record;
        try { await deliveries.UpdateAsync(record); }
        catch (Exception e) { log.LogError(e, "delivery log update failed (delivery {Id})", record.Id); }
        return record;
    }

    private async Task PruneLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try { await deliveries.PruneAsync(time.GetUtcNow() - options.Value.DeliveryRetention, ct); }
            catch (Exception e) when (!ct.IsCancellationRequested) { log.LogWarning(e, "delivery log pruning failed"); }
        } while (await timer.WaitForNextTickAsync(ct).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    private sealed record Work(AlertEvent Alert, DateTimeOffset Queued);

    /// <summary>One target's queue and the state only its worker touches (so no locks): limits and de-duplication.</summary>
    private sealed class TargetWorker
    {
        private readonly System.Threading.Channels.Channel<Work> _queue;
        private readonly INotificationChannel _channel;
        private readonly NotificationDispatcher _owner;
        private readonly CancellationTokenSource _stop;
        private readonly Task _loop;
        private readonly Admission _admission;

        public TargetWorker(NotificationTarget target, INotificationChannel channel, NotificationDispatcher owner, CancellationToken stop)
        {
            Target = target;
            _channel = channel;
            _owner = owner;
            _admission = new Admission(owner.Time);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _queue = System.Threading.Channels.Channel.CreateBounded<Work>(new System.Threading.Channels.BoundedChannelOptions(owner.Options.QueueCapacity)
            {
                SingleReader = true,
                FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait,
            });
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }

        public volatile NotificationTarget Target;

        public void Enqueue(AlertEvent alert, DateTimeOffset now)
        {
            if (_queue.Writer.TryWrite(new Work(alert, now))) return;
            var record = _owner.Record(Target, alert, now, DeliveryStatus.Failed, 0, $"queue full ({_owner.Options.QueueCapacity} waiting): target too slow or down");
            _ = Task.Run(async () => await _owner.AddAsync(record));
            _owner.Log.LogWarning("notification queue of {Target} is full; event {Event} dropped", Target.Name, alert.Id);
        }

        public async Task StopAsync()
        {
            _queue.Writer.TryComplete();
            await _stop.CancelAsync();
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stop.Dispose();
        }

        private async Task RunAsync()
        {
            var ct = _stop.Token;
            try
            {
                await foreach (var work in _queue.Reader.ReadAllAsync(ct))
                {
                    try { await DeliverAsync(work, ct); }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
                    catch (Exception e) { _owner.Log.LogError(e, "delivery of event {Event} to {Target} crashed", work.Alert.Id, Target.Name); }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        }

        private async Task DeliverAsync(Work work, CancellationToken ct)
        {
            var (target, alert) = (Target, work.Alert);
            if (_admission.Check(target, alert) is { } refused)
            {
                await _owner.AddAsync(_owner.Record(target, alert, work.Queued, refused.Status, 0, refused.Reason));
                return;
            }
            var record = _owner.Record(target, alert, work.Queued, DeliveryStatus.Pending, 0, null);
            record = record with { Id = await _owner.AddAsync(record) };
            var max = Math.Max(1, _owner.Options.MaxAttempts);
            for (var attempt = 1; ; attempt++)
            {
                var outcome = await _channel.SendAsync(target, alert, record.Id, ct);
                var final = outcome.Sent || !outcome.Transient || attempt >= max;
                record = await _owner.FinishAsync(record, alert, attempt, outcome, final);
                if (final) return;
                await Task.Delay(_owner.Options.RetryDelay(attempt), _owner.Time, ct);
                target = Target;
            }
        }
    }
}
