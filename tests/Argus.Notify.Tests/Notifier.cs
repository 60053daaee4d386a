using Argus.Core.Cameras;
using Argus.Core.Notifications;
using Argus.Data;
using Argus.Data.Stores;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Argus.Notify.Tests;

/// <summary>The secret protector the server uses (ASP.NET Data Protection with keys in a folder).</summary>
public sealed class FolderSecrets(string keys) : ISecretProtector
{
    private readonly IDataProtector _protector = DataProtectionProvider.Create(new DirectoryInfo(keys)).CreateProtector("Argus.CameraCredentials.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);
    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}

/// <summary>Records what MQTT asked for, as the server's arming service would act on it.</summary>
public sealed class RecordedArming : IArmingCommands
{
    public System.Threading.Channels.Channel<(string? Camera, bool Armed, string Source)> Calls { get; } =
        System.Threading.Channels.Channel.CreateUnbounded<(string?, bool, string)>();

    public Task SetArmedAsync(string? cameraId, bool armed, string source) => Calls.Writer.WriteAsync((cameraId, armed, source)).AsTask();
}

/// <summary>The notification stack as the server wires it: a real SQLite file, real stores and channels, started dispatcher.</summary>
public sealed class Notifier : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private Notifier(ServiceProvider services, string dir) => (_services, Dir) = (services, dir);

    public string Dir { get; }
    public string DatabaseFile => Path.Combine(Dir, "argus.db");
    public NotificationDispatcher Dispatcher => _services.GetRequiredService<NotificationDispatcher>();
    public INotificationTargetStore Targets => _services.GetRequiredService<INotificationTargetStore>();
    public INotificationSettingsStore Settings => _services.GetRequiredService<INotificationSettingsStore>();
    public IDeliveryLog Log => _services.GetRequiredService<IDeliveryLog>();
    public RecordedArming Arming => _services.GetRequiredService<RecordedArming>();
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<Notifier> StartAsync(Action<NotificationOptions>? configure = null)
    {
        var dir = Directory.CreateTempSubdirectory("argus-notify-").FullName;
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddArgusSqlite(Path.Combine(dir, "argus.db"));
        services.AddSingleton<ISecretProtector>(new FolderSecrets(Path.Combine(dir, "keys")));
        services.AddSingleton<INotificationTargetStore, NotificationTargetStore>();
        services.AddSingleton<INotificationSettingsStore, NotificationSettingsStore>();
        services.AddSingleton<IDeliveryLog, DeliveryLog>();
        services.AddSingleton<RecordedArming>();
        services.AddSingleton<IArmingCommands>(sp => sp.GetRequiredService<RecordedArming>());
        services.AddArgusNotifications();
        services.Configure<NotificationOptions>(o =>
        {
            // Short delays keep the retry tests quick; the policy's shape is the product's.
            o.FirstRetryDelay = TimeSpan.FromMilliseconds(100);
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(400);
            o.MqttReconnectMax = TimeSpan.FromMilliseconds(300);
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        await Database.InitializeAsync(provider.GetRequiredService<IDbContextFactory<ArgusDb>>());
        var notifier = new Notifier(provider, dir);
        await notifier.Dispatcher.StartAsync(CancellationToken.None);
        return notifier;
    }

    public async Task<NotificationTarget> AddWebhookAsync(string url, string secret = "a-secret-of-20-chars", Func<NotificationTarget, NotificationTarget>? change = null)
    {
        var target = new NotificationTarget { Id = NotificationTarget.NewId(), Kind = ChannelKind.Webhook, Name = "hook " + url, Webhook = new WebhookTarget(url, secret) };
        return await AddAsync(change is null ? target : change(target));
    }

    public async Task<NotificationTarget> AddAsync(NotificationTarget target)
    {
        await Targets.AddAsync(target);
        await Dispatcher.ReloadAsync();
        return target;
    }

    /// <summary>Polls the delivery log until <paramref name="done"/> holds for the target's records; fails after 20 s.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> WaitAsync(string targetId, Func<IReadOnlyList<DeliveryRecord>, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var records = await Log.QueryAsync(new DeliveryQuery(TargetId: targetId));
            if (done(records)) return records;
            if (DateTime.UtcNow > until)
                throw new TimeoutException("delivery log never matched; it has: " + string.Join("; ", records.Select(r => $"{r.EventId} {r.State} {r.Status} x{r.Attempts} {r.Error}")));
            await Task.Delay(20);
        }
    }

    public static AlertEvent Alert(long id, string state = AlertStates.New, string type = AlertTypes.Motion, string camera = "cam1", string? snapshot = null) =>
        new(id, type, state, camera, "Gate", DateTimeOffset.UtcNow.AddMilliseconds(-5), state == AlertStates.End ? DateTimeOffset.UtcNow : null,
            ["driveway"], PeakArea: 0.12, Rule: "night", SnapshotPath: snapshot, SnapshotUrl: "http://argus.local/snap.jpg");

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
