using System.Diagnostics;
using Argus.Core.Cameras;

namespace Argus.Media.Ffmpeg;

/// <summary>The result of a connection test: one frame as JPEG and what the stream is.</summary>
public sealed record GrabbedFrame(byte[] Jpeg, int Width, int Height, string Codec);

/// <summary>
/// Connects to a source once and grabs one frame, for the console's "test connection" before a camera is saved.
/// The arguments come from <see cref="RecordCommand.InputOptions"/>; only the address is the user's.
/// </summary>
public static partial class FrameGrab
{
    [System.Text.RegularExpressions.GeneratedRegex(@"Input #0.*?Video: (\w+).*?, (\d{2,5})x(\d{2,5})", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex StreamLine();

    public static async Task<GrabbedFrame> GrabAsync(string ffmpeg, SourceUrl source, RtspTransport transport, TimeSpan timeout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "info" }
                     .Concat(RecordCommand.InputOptions(source, transport, continuous: false))
                     .Concat(["-i", source.WithCredentials(), "-map", "0:v:0", "-frames:v", "1", "-vf", "scale='min(1280,iw)':-2", "-f", "image2", "-c:v", "mjpeg", "-q:v", "5", "pipe:1"]))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var stdout = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(stdout, limit.Token);
        var stderr = p.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await p.WaitForExitAsync(limit.Token);
            await copy;
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new SourceException($"no picture from the source within {timeout.TotalSeconds:0} s.");
        }
        var log = await stderr;
        if (p.ExitCode != 0 || stdout.Length == 0)
            throw new SourceException(SourceUrl.Redact(log.Trim().Split('\n').LastOrDefault(l => l.Length > 0) ?? $"ffmpeg exited with code {p.ExitCode}"));
        // The input's description, e.g. "Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720, 25 fps".
        var m = StreamLine().Match(log);
        return m.Success
            ? new GrabbedFrame(stdout.ToArray(), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), m.Groups[1].Value)
            : new GrabbedFrame(stdout.ToArray(), 0, 0, "unknown");
    }
}

/// <summary>A source that cannot be read, with a reason fit for the person who configured it.</summary>
public sealed class SourceException(string message) : Exception(message);
