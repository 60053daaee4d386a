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
    public static TimeSpan? Period(IConfiguration? configuration)
    {
        var seconds = configuration?.GetValue<double?>("Orleans:StallDetectorPeriod");
        if (seconds is null) return DefaultPeriod;
        return seconds > 0 ? TimeSpan.FromSeconds(seconds.Value) : null;
    }

    /// <summary>Sets the detector's sampling period; null when done, otherwise why it was left alone.</summary>
    public static string? Apply(IServiceProvider services, TimeSpan period)
    {
        if (Detector(services) is not { } detector) return "no LocalSiloHealthMonitor with a stall detector";
        var type = detector.GetType();
        var timerField = type.GetField("_timer", Instance);
        var lengthField = type.GetField("_detectionPeriodTimestampLength", Instance);
        var nextField = type.GetField("_nextExpectedTimestamp", Instance);
        var clockField = type.GetField("_timeProvider", Instance);
        var lockField = type.GetField("_lock", Instance);
        if (timerField?.GetValue(detector) is not ITimer timer || lengthField?.FieldType != typeof(long) || nextField?.FieldType != typeof(long)
            || clockField?.GetValue(detector) is not TimeProvider clock || lockField?.GetValue(detector) is not Lock gate)
            return $"{type.FullName} has changed shape";

        var length = checked((long)Math.Ceiling(period.TotalSeconds * clock.TimestampFrequency));
        lock (gate)
        {
            // The next tick is one new period from now; a tick later than that is a stall, as before.
            lengthField.SetValue(detector, length);
            nextField.SetValue(detector, clock.GetTimestamp() + length);
            if (!timer.Change(period, period)) return "its timer is disposed";
        }
        return null;
    }

    /// <summary>The detector's current sampling period, for tests: null if it cannot be read.</summary>
    public static TimeSpan? CurrentPeriod(IServiceProvider services)
    {
        if (Detector(services) is not { } detector) return null;
        var type = detector.GetType();
        if (type.GetField("_detectionPeriodTimestampLength", Instance)?.GetValue(detector) is not long length
            || type.GetField("_timeProvider", Instance)?.GetValue(detector) is not TimeProvider clock) return null;
        return TimeSpan.FromSeconds((double)length / clock.TimestampFrequency);
    }

    /// <summary>Orleans' stall detector of this silo, or null.</summary>
    public static object? Detector(IServiceProvider services) =>
        Type.GetType(MonitorType) is { } monitorType && services.GetService(monitorType) is { } monitor
            ? monitorType.GetField("_stallDetector", Instance)?.GetValue(monitor)
            : null;
}
