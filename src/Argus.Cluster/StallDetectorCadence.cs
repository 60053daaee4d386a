using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Argus.Cluster;

/// <summary>
/// Samples Orleans' thread-pool stall detector once a second instead of ten times.
/// </summary>
/// <remarks>
/// Orleans 10.4 measures thread-pool stalls with a 100 ms timer and offers no option for it. Each tick wakes the
/// timer thread and a pool thread: with nothing recorded that is most of an idle server's wake-ups, and about a
/// third of its CPU (docs/benchmarks.md). Orleans uses the stall figures in its health score and to call a failed
/// probe inconclusive, both with thresholds in seconds, so a 1 s cadence keeps what they need. The detector is
/// internal to Orleans: this changes its period and the matching expected-tick length together, under its own lock,
/// and if Orleans changes shape it logs that and leaves the detector as Orleans built it.
/// </remarks>
public sealed class StallDetectorCadence(IServiceProvider services, IConfiguration configuration, ILogger<StallDetectorCadence> log) : IHostedService
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(1);

    private const string MonitorType = "Orleans.Runtime.MembershipService.LocalSiloHealthMonitor, Orleans.Runtime";
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var period = Period(configuration);
        if (period is null) return Task.CompletedTask;
        var outcome = Apply(services, period.Value);
        if (outcome is null) log.LogDebug("Orleans' thread-pool stall detector samples every {Period}", period);
        else log.LogWarning("Orleans' thread-pool stall detector keeps its own cadence: {Reason}", outcome);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The configured period (<c>Orleans:StallDetectorPeriod</c>, seconds); 0 keeps Orleans' own.</summary>
    public static TimeSpan? Period(IConfiguration configuration)
    {
        var seconds = configuration.GetValue<double?>("Orleans:StallDetectorPeriod");
        if (seconds is null) return DefaultPeriod;
        return seconds > 0 ? TimeSpan.FromSeconds(seconds.Value) : null;
    }

    /// <summary>Sets the detector's sampling period; null when done, otherwise why it was left alone.</summary>
    public static string? Apply(IServiceProvider services, TimeSpan period)
    {
        if (Detector(services) is not { } detector) return "no LocalSiloHealthMonitor with a stall detector";
        if (Internals.Of(detector) is not { } d) return $"{detector.GetType().FullName} has changed shape";
        var length = checked((long)Math.Ceiling(period.TotalSeconds * d.Clock.TimestampFrequency));
        lock (d.Gate)
        {
            // The next tick is one new period from now; a tick later than that is a stall, as before.
            d.Length.SetValue(detector, length);
            d.Next.SetValue(detector, d.Clock.GetTimestamp() + length);
            if (!d.Timer.Change(period, period)) return "its timer is disposed";
        }
        return null;
    }

    /// <summary>The detector's current sampling period, for tests: null if it cannot be read.</summary>
    public static TimeSpan? CurrentPeriod(IServiceProvider services) =>
        Detector(services) is { } detector && Internals.Of(detector) is { } d && d.Length.GetValue(detector) is long length
            ? TimeSpan.FromSeconds((double)length / d.Clock.TimestampFrequency)
            : null;

    /// <summary>Orleans' stall detector of this silo, or null.</summary>
    public static object? Detector(IServiceProvider services) =>
        Type.GetType(MonitorType) is { } monitorType && services.GetService(monitorType) is { } monitor
            ? monitorType.GetField("_stallDetector", Instance)?.GetValue(monitor)
            : null;

    /// <summary>What this needs of the detector, found once; null if Orleans changed any of it.</summary>
    private sealed record Internals(ITimer Timer, FieldInfo Length, FieldInfo Next, TimeProvider Clock, Lock Gate)
    {
        public static Internals? Of(object detector)
        {
            var type = detector.GetType();
            var length = type.GetField("_detectionPeriodTimestampLength", Instance);
            var next = type.GetField("_nextExpectedTimestamp", Instance);
            return type.GetField("_timer", Instance)?.GetValue(detector) is ITimer timer
                   && length?.FieldType == typeof(long) && next?.FieldType == typeof(long)
                   && type.GetField("_timeProvider", Instance)?.GetValue(detector) is TimeProvider clock
                   && type.GetField("_lock", Instance)?.GetValue(detector) is Lock gate
                ? new Internals(timer, length, next, clock, gate)
                : null;
        }
    }
}
