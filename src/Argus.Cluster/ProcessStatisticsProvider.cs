using System.Runtime.CompilerServices;
using Orleans.Statistics;

namespace Argus.Cluster;

/// <summary>
/// The silo's CPU and memory figures (for placement and overload detection), measured when Orleans asks for them.
/// Orleans' own provider subscribes to every System.Runtime event counter once a second, about a fifth of an idle
/// server's CPU (docs/benchmarks.md); this one reads the process's CPU time between two calls instead.
/// </summary>
public sealed class ProcessStatisticsProvider(TimeProvider time) : IEnvironmentStatisticsProvider
{
    private readonly Lock _gate = new();
    private long _lastTimestamp = time.GetTimestamp();
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private float _cpuPercent;

    public EnvironmentStatistics GetEnvironmentStatistics()
    {
        float cpu;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var used = Environment.CpuUsage.TotalTime;
            var wall = time.GetElapsedTime(_lastTimestamp, now);
            // Calls closer than this would divide noise by almost nothing: keep the last figure.
            if (wall >= TimeSpan.FromMilliseconds(200))
            {
                _cpuPercent = CpuPercent(used - _lastCpu, wall, Environment.ProcessorCount);
                _lastTimestamp = now;
                _lastCpu = used;
            }
            cpu = _cpuPercent;
        }
        var memory = GC.GetGCMemoryInfo();
        var maximum = memory.TotalAvailableMemoryBytes;
        // The GC's figures describe its last collection: before the first one, count what is allocated.
        var inGc = memory.Index > 0 ? memory.TotalCommittedBytes - memory.FragmentedBytes : GC.GetTotalMemory(false);
        var inUse = Math.Clamp(inGc, 0, maximum);
        return Create(cpu, cpu, inUse, inUse, maximum - inUse, maximum - inUse, maximum);
    }

    // The figures' constructor is internal to Orleans (its providers are meant to be its own).
    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern EnvironmentStatistics Create(float cpuUsagePercentage, float rawCpuUsagePercentage, long memoryUsageBytes,
        long rawMemoryUsageBytes, long availableMemoryBytes, long rawAvailableMemoryBytes, long maximumAvailableMemoryBytes);

    /// <summary>CPU time used over a wall-clock span, in percent of all the machine's cores (as the runtime's cpu-usage counter).</summary>
    public static float CpuPercent(TimeSpan cpu, TimeSpan wall, int cores) =>
        wall <= TimeSpan.Zero ? 0f : Math.Clamp((float)(100 * cpu.TotalSeconds / wall.TotalSeconds / cores), 0f, 100f);
}
