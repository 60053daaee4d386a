using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Argus.Core.Privacy;
using Argus.Core.Time;
using Argus.Media.Export;
using Argus.Media.Privacy;

namespace Argus.Server.Hosting;

/// <summary>
/// Keeps each exported clip on disk for a while so range requests (video players, resumed downloads) hit the same file,
/// and two requests for the same clip build it once.
/// </summary>
public sealed class ExportCache : IDisposable
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, Lazy<Task<ExportResult>>> _entries = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastUsed = new();
    private readonly ClipExporter exporter;
    private readonly ArgusPaths paths;
    private readonly TimeProvider clock;
    private readonly ICameraPrivacy privacy;
    private readonly ITimer _sweeper;

    public ExportCache(ClipExporter exporter, ArgusPaths paths, TimeProvider clock, ICameraPrivacy privacy)
    {
        (this.exporter, this.paths, this.clock, this.privacy) = (exporter, paths, clock, privacy);
        // Leftovers of a previous run are of no use: range requests only span one server lifetime.
        if (Directory.Exists(paths.Exports)) Directory.Delete(paths.Exports, recursive: true);
        _sweeper = clock.CreateTimer(_ => Sweep(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public async Task<ExportResult> GetOrCreateAsync(string cameraId, TimeRange range, CancellationToken ct)
    {
        // A clip cached before the camera's privacy masks changed must not be served after.
        var masks = PrivacyMask.From((await privacy.ForCameraAsync(cameraId, ct)).Masks)?.Key ?? "none";
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{cameraId}|{range.Start.ToUnixTimeMilliseconds()}|{range.End.ToUnixTimeMilliseconds()}|{masks}")))[..24];
        _lastUsed[key] = clock.GetUtcNow();
        var entry = _entries.GetOrAdd(key, _ => new Lazy<Task<ExportResult>>(() =>
            // Not tied to this request: a second viewer of the same clip may still want it.
            exporter.ExportAsync(cameraId, range, Path.Combine(paths.Exports, key), null, CancellationToken.None)));
        var task = entry.Value;
        if (task.IsCompleted && (task.IsFaulted || !File.Exists(task.Result.Path)))
        {
            _entries.TryRemove(key, out _);
            if (task.IsCompletedSuccessfully) return await GetOrCreateAsync(cameraId, range, ct);
        }
        return await task.WaitAsync(ct);
    }

    private void Sweep()
    {
        var cutoff = clock.GetUtcNow() - KeepFor;
        foreach (var (key, used) in _lastUsed)
        {
            if (used > cutoff) continue;
            _lastUsed.TryRemove(key, out _);
            _entries.TryRemove(key, out _);
            try { Directory.Delete(Path.Combine(paths.Exports, key), recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    public void Dispose() => _sweeper.Dispose();
}
