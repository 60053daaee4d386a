using System.Diagnostics;

namespace Argus.Cluster.Tests;

public class ProcessStatisticsProviderTests
{
    [Theory]
    [InlineData(1.0, 2.0, 1, 50f)]   // half a core's second on one core
    [InlineData(1.0, 1.0, 2, 50f)]   // one core of two
    [InlineData(4.0, 1.0, 2, 100f)]  // more than the machine (rounding between clocks) is clamped
    [InlineData(1.0, 0.0, 2, 0f)]    // no time passed: nothing to say
    public void Cpu_percent_is_of_all_cores(double cpuSeconds, double wallSeconds, int cores, float expected) =>
        Assert.Equal(expected, ProcessStatisticsProvider.CpuPercent(TimeSpan.FromSeconds(cpuSeconds), TimeSpan.FromSeconds(wallSeconds), cores), 3);

    [Fact]
    public void A_busy_thread_between_two_calls_shows_as_cpu_use_and_memory_figures_are_consistent()
    {
        var stats = new ProcessStatisticsProvider(TimeProvider.System);
        var watch = Stopwatch.StartNew();
        var spin = 0L;
        while (watch.Elapsed < TimeSpan.FromMilliseconds(400)) spin++;
        var s = stats.GetEnvironmentStatistics();
        Assert.True(spin > 0);
        Assert.True(s.RawCpuUsagePercentage > 0, $"cpu {s.RawCpuUsagePercentage}");
        Assert.True(s.MaximumAvailableMemoryBytes > 0);
        Assert.InRange(s.RawMemoryUsageBytes, 1, s.MaximumAvailableMemoryBytes);
        Assert.Equal(s.MaximumAvailableMemoryBytes - s.RawMemoryUsageBytes, s.RawAvailableMemoryBytes);
    }
}
