using Argus.Cluster;
using Argus.Core.Analysis;
using Argus.Core.Cameras;
using Argus.Core.Security;

namespace Argus.Server.Api;

/// <summary>A camera as the API returns it: never with credentials.</summary>
public sealed record CameraDto(
    string Id, string Name, string MainUrl, string? SubUrl, string Transport, string? Location, string? Description,
    bool Paused, double? RetentionDays, bool HasCredentials, DateTimeOffset CreatedAt,
    string Status, double Fps, double BitrateKbps, DateTimeOffset? LastFrameAt, int Restarts, string? LastError, DateTimeOffset? StatusSince,
    AnalysisSettings Analysis, bool PrivacyCritical, AnalysisStatusView? AnalysisStatus)
{
    public static CameraDto From(CameraConfig c, CameraStatusView s) => new(
        c.Id, c.Name, c.Main.Address, c.Sub?.Address, c.Transport == RtspTransport.Udp ? "udp" : "tcp", c.Location, c.Description,
        c.Paused, c.RetentionMaxAge?.TotalDays, c.Main.HasCredentials || (c.Sub?.HasCredentials ?? false), c.CreatedAt,
        s.Status, s.Fps, s.BitrateKbps, s.LastFrameAt, s.Restarts, s.LastError, s.StatusSince, c.Analysis, c.PrivacyCritical, s.Analysis);
}

/// <summary>Tunes motion analysis (and, in <paramref name="Objects"/>, object detection); only the fields given change.</summary>
public sealed record AnalysisRequest(bool? Enabled, double? Fps, int? Sensitivity, double? MinArea, double? QuietSeconds,
    double? PreRollSeconds, double? PostRollSeconds, bool? Tamper, ObjectsRequest? Objects = null)
{
    public AnalysisSettings ApplyTo(AnalysisSettings a) => (a with
    {
        Enabled = Enabled ?? a.Enabled,
        Fps = Fps ?? a.Fps,
        Sensitivity = Sensitivity ?? a.Sensitivity,
        MinArea = MinArea ?? a.MinArea,
        QuietSeconds = QuietSeconds ?? a.QuietSeconds,
        PreRollSeconds = PreRollSeconds ?? a.PreRollSeconds,
        PostRollSeconds = PostRollSeconds ?? a.PostRollSeconds,
        Tamper = Tamper ?? a.Tamper,
        Objects = Objects is null ? a.Objects : Objects.ApplyTo(a.Objects ?? ObjectSettings.Default),
    }).Validate();
}

/// <summary>Tunes object detection (<c>analysis.objects</c>); only the fields given change. Calibration has its own shape and is kept.</summary>
public sealed record ObjectsRequest(bool? Enabled, IReadOnlyList<string>? Classes, double? Fps, bool? EveryFrame, double? MinScore, int? Tiles)
{
    public ObjectSettings ApplyTo(ObjectSettings o) => (o with
    {
        Enabled = Enabled ?? o.Enabled,
        Classes = Classes ?? o.Classes,
        Fps = Fps ?? o.Fps,
        EveryFrame = EveryFrame ?? o.EveryFrame,
        MinScore = MinScore ?? o.MinScore,
        Tiles = Tiles ?? o.Tiles,
    }).Validate();
}

/// <summary>A camera as a viewer sees it: no source, but their rights and whether their time window is open now.</summary>
public sealed record SharedCameraDto(string Id, string Name, string? Location, string Status, DateTimeOffset? LastFrameAt,
    IReadOnlyList<string> Rights, bool OpenNow, GrantDto.ScheduleDto? Schedule)
{
    public static SharedCameraDto From(CameraConfig c, CameraStatusView s, CameraGrant g, DateTimeOffset now) => new(
        c.Id, c.Name, c.Location, s.Status, s.LastFrameAt, CameraRightNames.ToNames(g.Rights), g.Schedule?.IsOpen(now) ?? true,
        g.Schedule is { } sc ? GrantDto.ScheduleDto.Of(sc) : null);
}

/// <summary>Create (all required fields) or change (only the fields given) a camera.</summary>
public sealed record CameraRequest(
    string? Name, string? MainUrl, string? SubUrl, string? Username, string? Password, string? Transport,
    string? Location, string? Description, bool? Paused, double? RetentionDays, AnalysisRequest? Analysis = null, bool? PrivacyCritical = null)
{
    public CameraConfig ToNew(DateTimeOffset now)
    {
        if (MainUrl is null) throw new ArgumentException("mainUrl is required.");
        var config = new CameraConfig
        {
            Id = CameraId.New(),
            Name = CameraNames.Validate(Name),
            Main = SourceUrl.Parse(MainUrl, Username, Password),
            CreatedAt = now,
        };
        return ApplyTo(config, isNew: true);
    }

    /// <summary>Credentials are kept unless new ones are given: the API never returns them, so a round trip must not erase them.</summary>
    public CameraConfig ApplyTo(CameraConfig c, bool isNew = false)
    {
        if (Name is not null) c = c with { Name = CameraNames.Validate(Name) };
        if (MainUrl is not null && !isNew)
        {
            var parsed = SourceUrl.Parse(MainUrl, Username, Password);
            if (!parsed.HasCredentials && Username is null && c.Main.HasCredentials && SameHost(parsed, c.Main))
                parsed = parsed with { UserName = c.Main.UserName, Password = c.Main.Password };
            c = c with { Main = parsed };
        }
        else if (Username is not null && !isNew)
            c = c with { Main = c.Main with { UserName = Username.Length == 0 ? null : Username, Password = Username.Length == 0 ? null : Password } };
        if (SubUrl is not null)
            c = c with { Sub = SubUrl.Length == 0 ? null : KeepCredentials(SourceUrl.Parse(SubUrl), c) };
        if (Transport is not null)
            c = c with
            {
                Transport = Transport.ToLowerInvariant() switch
                {
                    "tcp" => RtspTransport.Tcp,
                    "udp" => RtspTransport.Udp,
                    _ => throw new ArgumentException("transport must be 'tcp' or 'udp'."),
                },
            };
        if (Location is not null) c = c with { Location = Limit(Location, "location", 200) };
        if (Description is not null) c = c with { Description = Limit(Description, "description", 2000) };
        if (Paused is not null) c = c with { Paused = Paused.Value };
        if (RetentionDays is not null)
        {
            if (RetentionDays.Value < 0 || RetentionDays.Value > 36500) throw new ArgumentException("retentionDays must be between 0 (no limit) and 36500.");
            c = c with { RetentionMaxAge = RetentionDays.Value == 0 ? null : TimeSpan.FromDays(RetentionDays.Value) };
        }
        if (Analysis is not null) c = c with { Analysis = Analysis.ApplyTo(c.Analysis) };
        if (PrivacyCritical is not null) c = c with { PrivacyCritical = PrivacyCritical.Value };
        return c;
    }

    /// <summary>What changed, for the audit log: field names only, never values that could hold secrets.</summary>
    public string Describe() => string.Join(',', new (string Name, object? Value)[]
    {
        ("name", Name), ("mainUrl", MainUrl), ("subUrl", SubUrl), ("credentials", Username ?? Password), ("transport", Transport),
        ("location", Location), ("description", Description), ("paused", Paused), ("retentionDays", RetentionDays),
        ("analysis", Analysis), ("privacyCritical", PrivacyCritical),
    }.Where(f => f.Value is not null).Select(f => f.Name));

    /// <summary>A substream on the same camera usually shares its credentials.</summary>
    private static SourceUrl KeepCredentials(SourceUrl sub, CameraConfig c) =>
        !sub.HasCredentials && c.Main.HasCredentials && SameHost(sub, c.Main) ? sub with { UserName = c.Main.UserName, Password = c.Main.Password } : sub;

    private static bool SameHost(SourceUrl a, SourceUrl b) =>
        a.Kind != SourceKind.File && b.Kind != SourceKind.File && new Uri(a.Address).Authority == new Uri(b.Address).Authority;

    private static string? Limit(string value, string field, int max)
    {
        if (value.Length > max) throw new ArgumentException($"{field} is longer than {max} characters.");
        return value.Length == 0 ? null : value;
    }
}
