using Argus.Core.Cameras;
using Argus.Media.Privacy;

namespace Argus.Media.Ffmpeg;

/// <summary>
/// Builds the ffmpeg arguments that record one camera stream as fragmented-MP4 segments by stream copy (re-encoded with
/// the privacy mask for privacy-critical cameras). Every argument comes from here, never from user text, so nothing
/// user-supplied reaches ffmpeg but the source address (masks arrive as an image file made from validated numbers).
/// </summary>
public static class RecordCommand
{
    public const int SegmentSeconds = 10;

    private const string SegmentMovflags = "+frag_keyframe+empty_moov+default_base_moof";
    /// <summary>
    /// Live viewers follow the file being written (SegmentTail), so a fragment's length is their added latency; each
    /// fragment also costs ffmpeg a moof and a write. 250 ms: ffmpeg at 1.047x the bare segmenter where 100 ms gave
    /// 1.079x (docs/benchmarks.md), for ~150 ms more live latency. A crash loses at most one fragment.
    /// </summary>
    public static readonly TimeSpan DefaultFragment = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MinFragment = TimeSpan.FromMilliseconds(40);
    public static readonly TimeSpan MaxFragment = TimeSpan.FromSeconds(2);
    private const string LiveMovflags = "+empty_moov+default_base_moof+frag_every_frame+skip_trailer";

    /// <param name="segmentPattern">Output pattern with %06d for the segment number.</param>
    /// <param name="segmentList">CSV file ffmpeg appends a line to when a segment is complete.</param>
    /// <param name="live">Adds <see cref="LiveOutput"/> (live video on stdout).</param>
    /// <param name="mask">Privacy mask: critical cameras are decoded, masked and re-encoded once for both segments and
    /// live (nothing unmasked is written); others keep stream-copied segments and get a masked, re-encoded live output.</param>
    /// <param name="fragment">Fragment length of the segments (<see cref="DefaultFragment"/> when null); a keyframe
    /// also starts a fragment.</param>
    public static IReadOnlyList<string> Build(SourceUrl source, RtspTransport transport, string segmentPattern, string segmentList, bool live = true,
        RecordMask? mask = null, TimeSpan? fragment = null)
    {
        var fragmentMicros = FragmentMicros(fragment ?? DefaultFragment);
        var masked = mask is null ? null
            : mask.Critical ? PrivacyMask.For(MaskUse.Recording, mask.MaskFile, mask.Frame)
            : live ? PrivacyMask.For(MaskUse.Live, mask.MaskFile, mask.Frame)
            : null; // stored segments of other cameras stay as the camera sent them
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning" };
        args.AddRange(InputOptions(source, transport));
        if (masked is not null) args.AddRange(masked.VideoInputOptions);
        args.AddRange(["-i", source.WithCredentials()]);
        if (mask is { Critical: true })
        {
            args.AddRange([.. masked!.Input, .. masked.Output, .. Progress]);
            if (live) args.AddRange(["-f", "tee", TeeSpec(segmentPattern, segmentList, fragmentMicros)]);
            else args.AddRange([.. SegmentOutput(segmentList, fragmentMicros), segmentPattern]);
            return args;
        }
        if (masked is not null) args.AddRange([.. masked.Input, .. masked.Output, .. LiveMuxer]);
        else if (live) args.AddRange(LiveOutput);
        // Video only for now: camera audio is often G.711, which MP4 cannot carry without re-encoding.
        args.AddRange(["-map", "0:v:0", "-c", "copy", .. SegmentOutput(segmentList, fragmentMicros), .. Progress, segmentPattern]);
        return args;
    }

    /// <summary>Why a fragment length is refused, or null when it is within <see cref="MinFragment"/>..<see cref="MaxFragment"/>.</summary>
    public static string? FragmentError(TimeSpan fragment) =>
        fragment >= MinFragment && fragment <= MaxFragment
            ? null
            : $"a recording fragment must last {MinFragment.TotalMilliseconds:0} ms to {MaxFragment.TotalSeconds:0} s (a TimeSpan such as 00:00:00.250).";

    /// <summary>The fragment length in ffmpeg's microseconds; a length <see cref="FragmentError"/> refuses throws.</summary>
    public static string FragmentMicros(TimeSpan fragment) =>
        FragmentError(fragment) is { } error
            ? throw new ArgumentOutOfRangeException(nameof(fragment), fragment, error)
            : ((long)fragment.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] SegmentOutput(string segmentList, string fragmentMicros) =>
    [
        "-f", "segment", "-segment_time", SegmentSeconds.ToString(), "-reset_timestamps", "1",
        "-segment_format", "mp4",
        // Fragments are written as they complete: live reads them back, and a crash loses at most one.
        // flush_packets: without it a finished fragment waits in ffmpeg's write buffer (seen: nothing past the
        // header for 8 s of a 1 Mb/s camera), which would delay live and lose more in a crash.
        "-segment_format_options", $"movflags={SegmentMovflags}:frag_duration={fragmentMicros}:flush_packets=1",
        "-segment_list", segmentList, "-segment_list_type", "csv",
    ];

    // Progress shares stderr with the log (stdout carries live video); health every 2 s: enough to call a
    // camera offline within 5 s.
    private static readonly string[] Progress = ["-progress", "pipe:2", "-stats_period", "2"];

    /// <summary>
    /// The segment and live outputs of <see cref="Build"/> as tee slaves, so one encoder feeds both. Inside the spec
    /// ':' separates options and a nested option list needs its ':' escaped twice. A live reader that goes away must
    /// not stop the recording (onfail=ignore).
    /// </summary>
    private static string TeeSpec(string segmentPattern, string segmentList, string fragmentMicros)
    {
        foreach (var path in new[] { segmentPattern, segmentList })
            if (path.IndexOfAny(TeeSpecial) >= 0)
                throw new ArgumentException($"privacy-critical recording needs a data folder path without any of \\ : | [ ] ' = , (got {path}).");
        return $"[f=segment:segment_time={SegmentSeconds}:reset_timestamps=1:segment_format=mp4" +
               $":segment_format_options=movflags={SegmentMovflags}\\\\:frag_duration={fragmentMicros}\\\\:flush_packets=1" +
               $":segment_list={segmentList}:segment_list_type=csv]{segmentPattern}" +
               $"|[f=mp4:movflags={LiveMovflags}:flush_packets=1:onfail=ignore]pipe\\:1";
    }

    private static readonly char[] TeeSpecial = ['\\', ':', '|', '[', ']', '\'', '=', ','];

    /// <summary>
    /// The second output: the recorded video stream copied once more as fragmented MP4 to stdout, one fragment per
    /// frame and flushed per packet, so live viewers share the camera connection and lag by about a frame. It comes
    /// before the segment output, whose options follow it. stdout must be drained at all times or ffmpeg (and so the
    /// recording) stalls.
    /// </summary>
    public static readonly IReadOnlyList<string> LiveOutput = ["-map", "0:v:0", "-c", "copy", .. LiveMuxer];

    private static IReadOnlyList<string> LiveMuxer => ["-f", "mp4", "-movflags", LiveMovflags, "-flush_packets", "1", "pipe:1"];

    /// <param name="continuous">Files are read at their own pace and looped, as a camera would send them (recording);
    /// false reads them once, as fast as possible (a single frame for a connection test).</param>
    public static IEnumerable<string> InputOptions(SourceUrl source, RtspTransport transport, bool continuous = true) => source.Kind switch
    {
        SourceKind.Rtsp =>
        [
            "-rtsp_transport", transport == RtspTransport.Udp ? "udp" : "tcp",
            "-timeout", "10000000", // socket I/O timeout (µs): a silent camera ends the run instead of hanging
        ],
        SourceKind.Http when IsMjpeg(source) => ["-rw_timeout", "10000000", "-f", "mjpeg", "-use_wallclock_as_timestamps", "1"],
        SourceKind.Http or SourceKind.Hls => ["-rw_timeout", "10000000"],
        SourceKind.File => continuous ? ["-re", "-stream_loop", "-1"] : [],
        _ => [],
    };

    private static bool IsMjpeg(SourceUrl source) =>
        source.Address.Contains("mjpg", StringComparison.OrdinalIgnoreCase) || source.Address.Contains("mjpeg", StringComparison.OrdinalIgnoreCase);

    /// <summary>The command line as it may be logged: credentials removed.</summary>
    public static string ForLog(IEnumerable<string> args) => SourceUrl.Redact(string.Join(' ', args));
}

/// <summary>The privacy mask file (see <see cref="PrivacyMask.WriteFile"/>) a recording applies, how, and the frame size it was made for.</summary>
public sealed record RecordMask(string MaskFile, bool Critical, (int Width, int Height)? Frame = null);
