using Argus.Core.Cameras;
using Argus.Data;
using Argus.Data.Stores;
using Argus.Media.Ffmpeg;
using Argus.Media.Recording;
using Argus.Media.Retention;
using Argus.Media.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Argus.Media.Tests;

/// <summary>The real recording pieces (SQLite index, layout, finalizer, retention) in a temp folder.</summary>
internal sealed class StorageRig : IAsyncDisposable
{
    public sealed class Disk : IDiskSpace
    {
        public long Free { get; set; } = 100L << 30;
        public long FreeBytes(string path) => Free;
        public long TotalBytes(string path) => 200L << 30;
    }

    /// <summary>Credentials are not what these tests are about; the server uses ASP.NET Data Protection.</summary>
    private sealed class PlainSecrets : ISecretProtector
    {
        public string Protect(string plaintext) => plaintext;
        public string Unprotect(string protectedText) => protectedText;
    }

    private readonly ServiceProvider _services;
    public string Dir { get; }
    public RecordingLayout Layout { get; }
    public SegmentIndex Index { get; }
    public EvidenceLocks Locks { get; }
    public CameraStore Cameras { get; }
    public Disk DiskSpace { get; } = new();
    public StorageGate Gate { get; } = new();
    public RetentionOptions Options { get; } = new() { MinFreeBytes = 0, CriticalFreeBytes = 0 };
    public RecordingMetrics Metrics { get; } = new();
    public SegmentFinalizer Finalizer { get; }
    public IDbContextFactory<ArgusDb> Db { get; }

    private StorageRig(string dir, ServiceProvider services, IDbContextFactory<ArgusDb> db)
    {
        Dir = dir;
        _services = services;
        Db = db;
        Layout = new RecordingLayout(Path.Combine(Dir, "recordings"));
        Index = new SegmentIndex(db);
        Locks = new EvidenceLocks(db);
        Cameras = new CameraStore(db, new PlainSecrets());
        Finalizer = new SegmentFinalizer(Layout, new MediaProbe(Microsoft.Extensions.Options.Options.Create(new FfmpegOptions())), Index, Metrics,
            NullLogger<SegmentFinalizer>.Instance);
    }

    public static async Task<StorageRig> CreateAsync()
    {
        var dir = Fixtures.TempDir();
        var services = new ServiceCollection().AddArgusSqlite(Path.Combine(dir, "argus.db")).BuildServiceProvider();
        var db = services.GetRequiredService<IDbContextFactory<ArgusDb>>();
        await Database.InitializeAsync(db);
        return new StorageRig(dir, services, db);
    }

    public RetentionEnforcer Retention() => new(Layout, Index, Locks, Cameras, DiskSpace, Microsoft.Extensions.Options.Options.Create(Options), Gate, Metrics,
        TimeProvider.System, NullLogger<RetentionEnforcer>.Instance);

    public RecorderHost Recorders(Argus.Core.Privacy.ICameraPrivacy? privacy = null) => new(Layout, Finalizer, Microsoft.Extensions.Options.Options.Create(new FfmpegOptions()),
        Microsoft.Extensions.Options.Options.Create(new RecorderTuning()), Metrics, NullLoggerFactory.Instance, TimeProvider.System, Gate, privacy);

    public Argus.Media.Live.SnapshotMaker Snapshots(RecorderHost recorders, Argus.Core.Privacy.ICameraPrivacy privacy) =>
        new(recorders, Index, Layout, Microsoft.Extensions.Options.Options.Create(new FfmpegOptions()), privacy, TimeProvider.System,
            NullLogger<Argus.Media.Live.SnapshotMaker>.Instance);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }
}
