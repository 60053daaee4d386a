using Argus.Cluster.Analysis;
using Argus.Core.Events;
using Argus.Core.Recording;
using Argus.Media.Retention;
using Argus.Media.Storage;
using Microsoft.Extensions.Options;

namespace Argus.Server.Hosting;

/// <summary>
/// Runs retention every interval, and at once whenever free space drops below the minimum (checked every 5 s);
/// records when recording had to be suspended for lack of space as a storage.low event.
/// </summary>
public sealed class RetentionService(RetentionEnforcer enforcer, StorageGate storage, IEventLog events, IOptions<RetentionOptions> options,
    EventSnapshots snapshots, ISegmentIndex index, TimeProvider clock, ILogger<RetentionService> log) : BackgroundService
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var last = DateTimeOffset.MinValue;
        long? lowEvent = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var now = clock.GetUtcNow();
                if (now - last >= options.Value.Interval || enforcer.BelowMinimumFree() || storage.IsClosed)
                {
                    last = now;
                    await enforcer.RunAsync(ct);
                    if (await snapshots.PruneAsync(index, TimeSpan.FromDays(1), now, ct) is > 0 and var pruned)
                        log.LogInformation("Retention removed {Count} event snapshot(s) older than their camera's recordings", pruned);
                    if (storage.IsClosed && lowEvent is null)
                        lowEvent = await events.AddAsync(null, EventTypes.StorageLow, now, null, storage.Reason, ct);
                    else if (!storage.IsClosed && lowEvent is { } id)
                    {
                        await events.CloseAsync(id, now, ct);
                        lowEvent = null;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogError(e, "Retention run failed"); }
            try { await Task.Delay(TimeSpan.FromTicks(Math.Min(Check.Ticks, options.Value.Interval.Ticks)), clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
