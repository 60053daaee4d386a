namespace Argus.Core.Cameras;

public enum SourceKind { Rtsp, Http, Hls, File }

/// <summary>
/// A camera source address split into its credential-free form and its credentials,
/// so that credentials can be stored encrypted and never appear in logs or API output.
/// </summary>
public sealed record SourceUrl(string Address, SourceKind Kind, string? UserName, string? Password)
{
    private static readonly string[] NetworkSchemes = ["rtsp", "rtsps", "http", "https"];

    public static SourceUrl Parse(string raw, string? userName = null, string? password = null)
    {
        if (string.IsNullOrWhiteSpace(raw))
            throw new ArgumentException("URL is empty.");
        raw = raw.Trim();
        if (raw.Any(char.IsControl))
            throw new ArgumentException("URL contains control characters.");

        if (raw.StartsWith('/') || raw.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var path = raw.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(raw).LocalPath : raw;
            if (!Path.IsPathFullyQualified(path))
                throw new ArgumentException("File sources need an absolute path.");
            return new SourceUrl(Path.GetFullPath(path), SourceKind.File, null, null);
        }

        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || !NetworkSchemes.Contains(uri.Scheme.ToLowerInvariant()))
            throw new ArgumentException("URL must be rtsp://, rtsps://, http://, https:// or an absolute file path.");
        if (string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException("URL has no host.");

        string? user = userName, pass = password;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            user ??= Uri.UnescapeDataString(parts[0]);
            pass ??= parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }
        var bare = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        var kind = uri.Scheme.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase) ? SourceKind.Rtsp
            : uri.AbsolutePath.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase) ? SourceKind.Hls
            : SourceKind.Http;
        return new SourceUrl(bare, kind, string.IsNullOrEmpty(user) ? null : user, string.IsNullOrEmpty(pass) ? null : pass);
    }

    public bool HasCredentials => UserName is not null;

    /// <summary>The address with credentials, for handing to ffmpeg only.</summary>
    public string WithCredentials()
    {
        if (UserName is null || Kind == SourceKind.File) return Address;
        var b = new UriBuilder(Address) { UserName = Uri.EscapeDataString(UserName), Password = Password is null ? "" : Uri.EscapeDataString(Password) };
        return b.Uri.AbsoluteUri;
    }

    public override string ToString() => Address;

    /// <summary>Removes anything that looks like URL credentials from free text (ffmpeg messages, exceptions).</summary>
    public static string Redact(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@", "$1***@");
}
