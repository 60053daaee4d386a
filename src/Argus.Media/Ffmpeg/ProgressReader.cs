namespace Argus.Media.Ffmpeg;

/// <summary>One block of ffmpeg's <c>-progress</c> output (key=value lines ending with progress=...).</summary>
public readonly record struct ProgressReport(long Frames, TimeSpan OutTime, bool End);

public static class ProgressReader
{
    /// <summary>Reads blocks until the stream ends; each completed block is passed to <paramref name="onReport"/>.</summary>
    public static async Task ReadAsync(TextReader reader, Action<ProgressReport> onReport, CancellationToken ct)
    {
        long frames = 0;
        var outTime = TimeSpan.Zero;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line.AsSpan(0, eq);
            var value = line.AsSpan(eq + 1).Trim();
            if (key.SequenceEqual("frame"))
                long.TryParse(value, out frames);
            else if (key.SequenceEqual("out_time_us") && long.TryParse(value, out var us) && us >= 0)
                outTime = TimeSpan.FromMicroseconds(us);
            else if (key.SequenceEqual("progress"))
                onReport(new ProgressReport(frames, outTime, value.SequenceEqual("end")));
        }
    }
}
