using System.Text.Json;
using Argus.Core.Geometry;
using Argus.Core.Privacy;

namespace Argus.Server.Hosting;

/// <summary>
/// Privacy settings from a JSON file given with <c>--privacy-file FILE</c> (tests only, until the zones store implements
/// <see cref="ICameraPrivacy"/>): <c>{ "&lt;camera id&gt; or *": { "critical": true, "masks": [[[x, y], ...], ...] } }</c>.
/// Read again when the file changes; a file that cannot be read fails the request rather than dropping the masks.
/// </summary>
public sealed class FilePrivacy(string file) : ICameraPrivacy
{
    private sealed record Entry(bool Critical, List<List<double[]>>? Masks);

    private readonly Lock _lock = new();
    private (DateTime Written, Dictionary<string, CameraPrivacy> Cameras)? _cache;

    public Task<CameraPrivacy> ForCameraAsync(string cameraId, CancellationToken ct = default)
    {
        var cameras = Load();
        return Task.FromResult(cameras.GetValueOrDefault(cameraId) ?? cameras.GetValueOrDefault("*") ?? CameraPrivacy.None);
    }

    private Dictionary<string, CameraPrivacy> Load()
    {
        var written = File.GetLastWriteTimeUtc(file);
        lock (_lock)
        {
            if (_cache is { } c && c.Written == written) return c.Cameras;
            var entries = JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(file), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                ?? throw new InvalidDataException($"{file} holds no privacy settings.");
            var cameras = entries.ToDictionary(e => e.Key,
                e => new CameraPrivacy([.. (e.Value.Masks ?? []).Select(Polygon.FromArrays)], e.Value.Critical));
            _cache = (written, cameras);
            return cameras;
        }
    }
}
