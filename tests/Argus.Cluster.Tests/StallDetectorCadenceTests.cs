using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Argus.Cluster.Tests;

/// <summary>Starves the thread pool on purpose: runs alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloCollection
{
    public const string Name = "in-process silo";
}

[Collection(SiloCollection.Name)]
public sealed class StallDetectorCadenceTests
{
    [Fact]
    public async Task A_silo_samples_stalls_once_a_second_and_still_measures_a_real_stall_but_not_its_own_ticks()
    {
        using var host = await StartSiloAsync(configured: null);
        Assert.Equal(StallDetectorCadence.DefaultPeriod, StallDetectorCadence.CurrentPeriod(host.Services));

        // Quiet: with the tick length left at 100 ms, each 1 s tick would count as a 0.9 s stall.
        var quiet = await StallDuringAsync(host.Services, () => Thread.Sleep(3500));
        Assert.True(quiet < TimeSpan.FromSeconds(1), $"quiet pool measured as stalled for {quiet}");

        // Starved: far more blocking items than pool threads; the detector's tick queues behind them.
        var starved = await StallDuringAsync(host.Services, () =>
        {
            var blockers = Enumerable.Range(0, 8 * Environment.ProcessorCount + 16)
                .Select(_ => Task.Factory.StartNew(() => Thread.Sleep(1500), TaskCreationOptions.PreferFairness)).ToArray();
            Task.WaitAll(blockers);
        });
        Assert.True(starved >= TimeSpan.FromSeconds(1), $"a starved pool measured as stalled for only {starved}");
    }

    [Fact]
    public async Task Zero_keeps_orleans_own_cadence()
    {
        using var host = await StartSiloAsync(configured: "0");
        Assert.Equal(TimeSpan.FromMilliseconds(100), StallDetectorCadence.CurrentPeriod(host.Services));
    }

    private static async Task<TimeSpan> StallDuringAsync(IServiceProvider services, Action body)
    {
        var detector = StallDetectorCadence.Detector(services) ?? throw new InvalidOperationException("no stall detector");
        var start = TimeProvider.System.GetTimestamp();
        // Its own thread: work it queues goes to the pool's global queue, where the detector's ticks wait too.
        await Task.Factory.StartNew(body, TaskCreationOptions.LongRunning);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // two more ticks, so the detector has seen the whole window
        var end = TimeProvider.System.GetTimestamp();
        var measure = detector.GetType().GetMethod("GetStallDuration") ?? throw new InvalidOperationException("no GetStallDuration");
        return (TimeSpan)measure.Invoke(detector, [start, end])!;
    }

    private static async Task<IHost> StartSiloAsync(string? configured)
    {
        var builder = Host.CreateApplicationBuilder();
        if (configured is not null)
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Orleans:StallDetectorPeriod"] = configured });
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: "stall-test", clusterId: "stall-test"));
        builder.Services.AddHostedService<StallDetectorCadence>();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
