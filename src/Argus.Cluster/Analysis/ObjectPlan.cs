using Argus.Core.Analysis;
using Argus.Core.Cameras;
using Argus.Core.Objects;

namespace Argus.Cluster.Analysis;

/// <summary>
/// What object analysis a camera needs: the classes to detect (the union of its lines', rules' and settings'
/// classes), its counting lines, object rules and zones. Null when nothing asks for objects: no detector cost then.
/// </summary>
public sealed record ObjectPlan(IReadOnlyList<string> Classes, IReadOnlyList<CameraLine> Lines, IReadOnlyList<ObjectRule> Rules,
    IReadOnlyList<CameraZone> Zones, ObjectSettings Settings)
{
    public static ObjectPlan? For(CameraConfig camera, IReadOnlyList<CameraZone> zones, IReadOnlyList<CameraLine> lines, IReadOnlyList<ObjectRule> rules)
    {
        var settings = camera.Analysis.Objects ?? ObjectSettings.Default;
        var enabled = rules.Where(r => r.Enabled).ToList();
        if (!settings.Enabled && lines.Count == 0 && enabled.Count == 0) return null;
        var classes = new List<string>();
        void Add(IEnumerable<string> names) { foreach (var n in names) if (!classes.Contains(n)) classes.Add(n); }
        if (settings.Enabled) Add(settings.Classes);
        foreach (var l in lines) Add(l.Classes);
        foreach (var r in enabled) Add(r.Classes);
        if (classes.Count == 0) Add(ObjectClasses.Default);
        return new ObjectPlan(classes, lines, enabled, zones, settings);
    }
}
