using System.Text.Json;
using System.Collections.Concurrent;
using Argus.Core.Alarms;
using Argus.Core.Analysis;
using Argus.Core.Cameras;
using Microsoft.Extensions.Logging;

namespace Argus.Cluster.Analysis;

/// <summary>
/// The node-local analyzers, one per analysed camera, next to its recorder. A camera's analyzer is rebuilt when
/// anything it depends on changes (source, settings, zones, rules); arming is read live and needs no rebuild.
/// </summary>
public sealed class AnalysisHost(AnalysisServices services, IZoneStore zones, IRuleStore rules, ILineStore lines, IObjectRuleStore objectRules,
    ILogger<AnalysisHost> log) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (CameraAnalyzer Analyzer, string Key)> _analyzers = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public CameraAnalyzer? Get(string cameraId) => _analyzers.TryGetValue(cameraId, out var a) ? a.Analyzer : null;

    public async Task EnsureAsync(CameraConfig camera, CancellationToken ct = default)
    {
        if (camera.Paused || !camera.Analysis.Enabled)
        {
            await StopAsync(camera.Id);
            return;
        }
        var cameraZones = await zones.ListAsync(camera.Id, ct);
        var cameraRules = await rules.ListAsync(camera.Id, ct);
        var objects = ObjectPlan.For(camera, cameraZones, await lines.ListAsync(camera.Id, ct), await objectRules.ListAsync(camera.Id, ct));
        var key = Key(camera, cameraZones, cameraRules, objects);
        await _gate.WaitAsync(ct);
        try
        {
            if (_analyzers.TryGetValue(camera.Id, out var existing))
            {
                if (existing.Key == key) return;
                _analyzers.TryRemove(camera.Id, out _);
                await existing.Analyzer.DisposeAsync();
            }
            var analyzer = new CameraAnalyzer(camera, cameraZones, cameraRules, objects, services);
            _analyzers[camera.Id] = (analyzer, key);
            analyzer.Start();
            log.LogInformation("Camera {Camera}: analysing {Source} at {Fps} fps ({Zones} zones, {Rules} rules; objects: {Objects})", camera.Id,
                camera.Sub is null ? "the main stream" : "the substream", camera.Analysis.Fps, cameraZones.Count, cameraRules.Count,
                objects is null ? "off" : $"{string.Join(", ", objects.Classes)}, {objects.Lines.Count} lines, {objects.Rules.Count} rules");
        }
        finally { _gate.Release(); }
    }

    public async Task StopAsync(string cameraId)
    {
        await _gate.WaitAsync();
        try
        {
            if (_analyzers.TryRemove(cameraId, out var existing)) await existing.Analyzer.DisposeAsync();
        }
        finally { _gate.Release(); }
    }

    /// <summary>Everything the analyzer is built from, as text: a change anywhere means a rebuild.</summary>
    private static string Key(CameraConfig c, IReadOnlyList<CameraZone> zones, IReadOnlyList<AlarmRule> rules, ObjectPlan? objects) =>
        string.Join('|', (c.Sub ?? c.Main).WithCredentials(), c.Transport, c.Name, JsonSerializer.Serialize(c.Analysis),
            string.Join(';', zones.Select(z => $"{z.Id}:{z.Name}:{z.Kind}:{string.Join(' ', z.Polygon.Points)}")),
            string.Join(';', rules.Select(r => $"{r} {string.Join(',', r.Zones)}")),
            objects is null ? "" : JsonSerializer.Serialize(new { objects.Lines, objects.Rules }));

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _analyzers.Keys.ToList()) await StopAsync(id);
    }
}
