using Argus.Core.Analysis;

namespace Argus.Core.Cameras;

public enum RtspTransport { Tcp, Udp }

/// <summary>The desired state of a camera: what the user configured. Credentials are in plain text here, only in memory.</summary>
public sealed record CameraConfig
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required SourceUrl Main { get; init; }
    public SourceUrl? Sub { get; init; }
    public RtspTransport Transport { get; init; } = RtspTransport.Tcp;
    public string? Location { get; init; }
    public string? Description { get; init; }
    public bool Paused { get; init; }
    /// <summary>Maximum age of recordings; null keeps them until the global quota needs the space.</summary>
    public TimeSpan? RetentionMaxAge { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public AnalysisSettings Analysis { get; init; } = AnalysisSettings.Default;
    /// <summary>Privacy masks are burnt in before anything is stored (the stream is re-encoded), not only on the way out.</summary>
    public bool PrivacyCritical { get; init; }
}

public static class CameraNames
{
    public const int MaxLength = 100;

    /// <summary>Names are labels only (never paths); reject control characters and empty names.</summary>
    public static string Validate(string? name)
    {
        var n = name?.Trim();
        if (string.IsNullOrEmpty(n)) throw new ArgumentException("name is required.");
        if (n.Length > MaxLength) throw new ArgumentException($"name is longer than {MaxLength} characters.");
        if (n.Any(char.IsControl)) throw new ArgumentException("name contains control characters.");
        return n;
    }
}
