using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>What a server costs with nothing to do: each periodic poller is CPU on every install (docs/benchmarks.md).</summary>
public class IdleCostTests
{
    [Fact]
    public async Task A_started_server_does_not_poll_the_runtime_event_counters()
    {
        await using var server = await ArgusServer.StartAsync();
        // The silo is up once a camera call answers; Orleans has built its statistics provider by then.
        (await server.Client.GetAsync("/api/cameras")).EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var threads = Directory.GetDirectories($"/proc/{server.ProcessId}/task")
            .Select(t => { try { return File.ReadAllText(Path.Combine(t, "comm")).Trim(); } catch (IOException) { return ""; } })
            .ToList();
        Assert.NotEmpty(threads);
        // The runtime names the thread that polls EventCounters ".NET Counter Poller" (15 characters shown).
        Assert.DoesNotContain(threads, t => t.StartsWith(".NET Counter", StringComparison.Ordinal));
    }
}
