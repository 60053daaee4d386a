using Argus.Cluster;
using Argus.Core.Cameras;
using Argus.Core.Events;
using Argus.Core.Recording;
using Argus.Core.Security;
using Argus.Data;
using Argus.Media.Recording;
using Microsoft.EntityFrameworkCore;

namespace Argus.Server.Hosting;

/// <summary>
/// Brings a node up in order: schema, first admin, reconcile of index and disk, then one grain per camera
/// (which starts its recorder). Runs after the silo has started.
/// </summary>
public sealed class StartupService(
    IDbContextFactory<ArgusDb> db,
    IUserStore users,
    Reconciler reconciler,
    ISegmentIndex index,
    IEventLog events,
    TimeProvider clock,
    ICameraStore cameras,
    IGrainFactory grains,
    DemoCamera demo,
    Argus.Analytics.Arming.ArmingService arming,
    ILogger<StartupService> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await Database.InitializeAsync(db, ct);
        await EnsureAdminAsync(ct);
        await reconciler.RunAsync(ct); // logs what it repaired
        await RecordDowntimeAsync(ct);
        var abandoned = await events.CloseAbandonedAsync([EventTypes.Motion, EventTypes.Alarm, EventTypes.Tamper], ct);
        if (abandoned > 0) log.LogInformation("Closed {Count} analysis event(s) left open by the last run", abandoned);
        await arming.LoadAsync(ct);
        await demo.AddIfRequestedAsync(ct);
        var all = await cameras.ListAsync(ct);
        foreach (var c in all)
            await grains.GetGrain<ICameraGrain>(c.Id).ApplyAsync();
        log.LogInformation("{Count} camera(s) configured, {Recording} recording", all.Count, all.Count(c => !c.Paused));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>The time this node was not recording (a stop or a crash) becomes an event, so that gap is explained too.</summary>
    private async Task RecordDowntimeAsync(CancellationToken ct)
    {
        if (await index.LatestEndAsync(ct) is not { } lastRecorded) return;
        var now = clock.GetUtcNow();
        if (now - lastRecorded < TimeSpan.FromSeconds(2) || lastRecorded > now) return;
        await events.AddAsync(null, EventTypes.ServerDown, lastRecorded, now, "Argus was not running (stopped or crashed)", ct);
        log.LogInformation("Argus was not recording from {From:O} to {To:O}", lastRecorded, now);
    }

    /// <summary>No default password: ARGUS_ADMIN_PASSWORD, or a generated one printed once.</summary>
    private async Task EnsureAdminAsync(CancellationToken ct)
    {
        if (await users.CountAsync(ct) > 0) return;
        var password = Environment.GetEnvironmentVariable("ARGUS_ADMIN_PASSWORD");
        var generated = string.IsNullOrEmpty(password);
        if (generated) password = PasswordHasher.Generate();
        else if (PasswordHasher.Weakness(password) is { } weak)
            throw new InvalidOperationException($"ARGUS_ADMIN_PASSWORD is too weak: {weak}");
        await users.AddAsync("admin", PasswordHasher.Hash(password!), Roles.Admin, ct);
        if (generated)
        {
            // Deliberately to the console only, never to the log.
            Console.WriteLine("==================================================================");
            Console.WriteLine($" Created user 'admin' with password: {password}");
            Console.WriteLine(" It is shown only this once. Set ARGUS_ADMIN_PASSWORD to choose it.");
            Console.WriteLine("==================================================================");
        }
        else log.LogInformation("Created user 'admin' with the password from ARGUS_ADMIN_PASSWORD");
    }
}
