namespace Argus.Core.Security;

/// <summary>What a grant allows on one camera. Playback covers recordings, the timeline and its events.</summary>
[Flags]
public enum CameraRights
{
    None = 0,
    Live = 1,
    Playback = 2,
    Export = 4,
    All = Live | Playback | Export,
}

public static class CameraRightNames
{
    public static IReadOnlyList<string> ToNames(CameraRights rights) =>
        [.. Enum.GetValues<CameraRights>().Where(r => r is not (CameraRights.None or CameraRights.All) && rights.HasFlag(r)).Select(r => r.ToString().ToLowerInvariant())];

    /// <exception cref="ArgumentException">an unknown right, or none.</exception>
    public static CameraRights Parse(IEnumerable<string>? names)
    {
        var rights = CameraRights.None;
        foreach (var n in names ?? [])
            rights |= (n ?? "").Trim().ToLowerInvariant() switch
            {
                "live" => CameraRights.Live,
                "playback" => CameraRights.Playback,
                "export" => CameraRights.Export,
                _ => throw new ArgumentException($"'{n}' is not a right (live, playback, export)."),
            };
        if (rights == CameraRights.None) throw new ArgumentException("a grant needs at least one right (live, playback, export).");
        return rights;
    }
}
