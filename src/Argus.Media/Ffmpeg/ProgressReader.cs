namespace Argus.Media.Ffmpeg;

/// <summary>One block of ffmpeg's <c>-progress</c> output (key=value lines ending with progress=...).</summary>
public readonly record struct ProgressReport(long Frames, TimeSpan OutTime, bool End);

public static class ProgressReader
{
    /// <summary>Reads blocks until the stream ends; each completed block is passed to <paramref name="onReport"/>.</summary>
    public static async Task ReadAsync(TextReader reader, Action<ProgressReport> onReport, CancellationToken ct)
    {
        var parser = new ProgressParser();
        while (await reader.ReadLineAsync(ct) is { } line)
            if (parser.Feed(line) is { } report) onReport(report);
    }
}

/// <summary>
/// Line-at-a-time parser of <c>-progress</c> output, for when progress shares a stream with ffmpeg's log
/// (<c>-progress pipe:2</c>): <see cref="IsProgressLine"/> tells the two apart, <see cref="Feed"/> assembles blocks.
/// </summary>
public sealed class ProgressParser
{
    private long _frames;
    private TimeSpan _outTime;

    /// <summary>Keys ffmpeg writes in a progress block; per-stream keys start with "stream_".</summary>
    private static readonly string[] Keys =
        ["frame", "fps", "bitrate", "total_size", "out_time_us", "out_time_ms", "out_time", "dup_frames", "drop_frames", "speed", "progress"];

    /// <summary>Whether the line is a progress <c>key=value</c> line rather than a log line.</summary>
    public static bool IsProgressLine(ReadOnlySpan<char> line)
    {
        var eq = line.IndexOf('=');
        if (eq <= 0) return false;
        var key = line[..eq];
        if (key.StartsWith("stream_")) return key.IndexOfAny(' ', '[') < 0;
        foreach (var k in Keys)
            if (key.SequenceEqual(k)) return true;
        return false;
    }

    /// <summary>Takes one line; returns the report when the line ends a block (progress=continue|end), else null.</summary>
    public ProgressReport? Feed(ReadOnlySpan<char> line)
    {
        var eq = line.IndexOf('=');
        if (eq <= 0) return null;
        var key = line[..eq];
        var value = line[(eq + 1)..].Trim();
        if (key.SequenceEqual("frame"))
            long.TryParse(value, out _frames);
        else if (key.SequenceEqual("out_time_us") && long.TryParse(value, out var us) && us >= 0)
            _outTime = TimeSpan.FromMicroseconds(us);
        else if (key.SequenceEqual("progress"))
            return new ProgressReport(_frames, _outTime, value.SequenceEqual("end"));
        return null;
    }
}
