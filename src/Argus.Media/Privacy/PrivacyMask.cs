using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Argus.Core.Geometry;

namespace Argus.Media.Privacy;

/// <summary>The ways video leaves ffmpeg with a privacy mask; each wants its own encoder.</summary>
public enum MaskUse { Recording, Live, Snapshot, Export, Playback }

/// <summary>
/// ffmpeg arguments for one masked video output: <see cref="VideoInputOptions"/> go before the video's own -i,
/// <see cref="Input"/> (the mask) right after that input, <see cref="Output"/> (filter graph, map, encoder) before the
/// output's format options and name.
/// </summary>
public sealed record MaskedVideo(IReadOnlyList<string> VideoInputOptions, IReadOnlyList<string> Input, IReadOnlyList<string> Output)
{
    /// <summary>The video input (its options, -i) followed by the mask input and the masked output's arguments.</summary>
    public IReadOnlyList<string> Around(IEnumerable<string> inputOptions, string input) =>
        [.. inputOptions, .. VideoInputOptions, "-i", input, .. Input, .. Output];
}

/// <summary>
/// Privacy masks blacked out by ffmpeg on the polygons' exact shapes: the polygons are rasterised in C# into a
/// grey+alpha PAM image at the video's size (alpha 255 inside, grown by a few pixels), which ffmpeg lays over every
/// frame. The filter graph is built here from numbers only; nothing the user typed reaches it.
/// </summary>
public sealed class PrivacyMask
{
    public const string OutputLabel = "masked";
    /// <summary>Used when the frame size is not known; the filter scales the mask to the real frame anyway.</summary>
    public const int NominalWidth = 1920, NominalHeight = 1080;
    private const int MaxSide = 8192;

    public IReadOnlyList<Polygon> Polygons { get; }

    /// <summary>A hash of the polygons: mask files and caches are named by it, so a changed mask never reuses an old file.</summary>
    public string Key { get; }

    private PrivacyMask(IReadOnlyList<Polygon> polygons)
    {
        Polygons = polygons;
        var text = new StringBuilder("v1");
        foreach (var p in polygons)
        {
            text.Append('|');
            foreach (var pt in p.Points) text.Append(CultureInfo.InvariantCulture, $"{pt.X:R},{pt.Y:R};");
        }
        Key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }

    /// <summary>Null when there is nothing to mask: callers then keep their unfiltered (stream copy) path.</summary>
    public static PrivacyMask? From(IReadOnlyList<Polygon>? polygons) => polygons is { Count: > 0 } ? new PrivacyMask([.. polygons]) : null;

    /// <summary>
    /// Pixels the mask grows by: partly covered edge pixels and 2x2 chroma blocks straddling the edge must not keep
    /// private colour. Scales with width (2 px at 640) so a mask rasterised at the nominal size and scaled down
    /// still has a margin.
    /// </summary>
    public static int DilationFor(int width) => Math.Max(2, (int)Math.Ceiling(width * 2 / 640.0));

    /// <summary>255 for masked pixels, 0 elsewhere; row-major, <paramref name="width"/> x <paramref name="height"/>.</summary>
    public byte[] Rasterise(int width, int height)
    {
        if (width is < 2 or > MaxSide || height is < 2 or > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"frame size {width}x{height} is out of range.");
        var grid = new byte[width * height];
        foreach (var p in Polygons) p.Fill(grid, width, height, 255);
        Dilate(grid, width, height, DilationFor(width));
        return grid;
    }

    /// <summary>Square dilation by r pixels, as two separable running-max passes.</summary>
    private static void Dilate(byte[] grid, int width, int height, int r)
    {
        var tmp = new byte[grid.Length];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                byte m = 0;
                for (int i = Math.Max(0, x - r), end = Math.Min(width - 1, x + r); i <= end && m == 0; i++) m = grid[y * width + i];
                tmp[y * width + x] = m;
            }
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                byte m = 0;
                for (int j = Math.Max(0, y - r), end = Math.Min(height - 1, y + r); j <= end && m == 0; j++) m = tmp[j * width + x];
                grid[y * width + x] = m;
            }
    }

    /// <summary>
    /// Writes the mask for a width x height video into <paramref name="dir"/> (once; the name carries <see cref="Key"/>
    /// and the size) and returns its path: a PAM with grey 0 and the mask as alpha. A size of 0 means unknown: the nominal size.
    /// </summary>
    public string WriteFile(string dir, int width, int height)
    {
        if (width <= 1 || height <= 1) (width, height) = (NominalWidth, NominalHeight); // size unknown
        var path = Path.Combine(dir, $"privacy-{Key}-{width}x{height}.pam");
        if (File.Exists(path)) return path;
        var grid = Rasterise(width, height);
        var header = Encoding.ASCII.GetBytes($"P7\nWIDTH {width}\nHEIGHT {height}\nDEPTH 2\nMAXVAL 255\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n");
        var body = new byte[grid.Length * 2];
        for (var i = 0; i < grid.Length; i++) body[2 * i + 1] = grid[i];
        Directory.CreateDirectory(dir);
        var tmp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        using (var f = File.Create(tmp))
        {
            f.Write(header);
            f.Write(body);
        }
        File.Move(tmp, path, overwrite: true); // concurrent writers produce identical files
        return path;
    }

    /// <summary>Deletes the folder's mask files of other polygons (masks that changed); files in use stay readable.</summary>
    public void RemoveOthers(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir, "privacy-*.pam"))
        {
            if (Path.GetFileName(f).StartsWith($"privacy-{Key}-", StringComparison.Ordinal)) continue;
            try { File.Delete(f); }
            catch (IOException) { }
        }
    }

    /// <summary>The frame size of a recorded file, read from its fMP4 boxes; null when it cannot be read that way.</summary>
    public static (int Width, int Height)? FrameSizeOf(string videoFile)
    {
        try
        {
            return Ffmpeg.Mp4Inspector.Inspect(videoFile) is { Valid: true, Width: > 1, Height: > 1 } p ? (p.Width, p.Height) : null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException) { return null; }
    }

    /// <summary>Writes the mask file for <paramref name="frame"/> (nominal when unknown) and returns the arguments for it.</summary>
    public MaskedVideo Prepare(MaskUse use, string dir, (int Width, int Height)? frame) =>
        For(use, WriteFile(dir, frame?.Width ?? 0, frame?.Height ?? 0), frame);

    /// <summary>
    /// The filter graph laying mask input <paramref name="maskInput"/> over the first video stream of input
    /// <paramref name="videoInput"/>, output [<see cref="OutputLabel"/>]. With a known <paramref name="frame"/> size the
    /// video is first held at that size: run with -reinit_filter 0 (see <see cref="For"/>), a mid-stream resolution
    /// change is scaled into it, and the mask, in normalised coordinates, stays right. (With ffmpeg's default the graph is
    /// rebuilt on such a change, the one-frame mask input has ended, and overlay passes every later frame unmasked:
    /// checked on ffmpeg 5.1.) scale2ref fits the mask to the frame (nearest neighbour keeps it binary) should the
    /// sizes differ. The mask's single frame is stamped far in the past:
    /// overlay passes through unblended any frame earlier than its overlay's first frame, so a stream starting at
    /// a negative or earlier time than the mask would otherwise leak; eof_action=repeat keeps it on every later frame.
    /// </summary>
    public static string FilterGraph(int videoInput = 0, int maskInput = 1, (int Width, int Height)? frame = null) =>
        string.Create(CultureInfo.InvariantCulture,
            // Limited-range yuv420p throughout: the mask's black (Y 16) then stays black when an encoder wants full range.
            $"[{videoInput}:v:0]{(frame is { } f ? $"scale={f.Width}:{f.Height}," : "")}format=yuv420p[pin];" +
            $"[{maskInput}:v]setpts=-1e9[pm];[pm][pin]scale2ref=flags=neighbor[pmask][pvid];" +
            $"[pvid][pmask]overlay=eof_action=repeat:format=yuv420[{OutputLabel}]");

    /// <summary>
    /// Keyframes every 2 s of stream time whatever the frame rate, so 10 s segments, live GOP caches and playback
    /// seeking behave as with a camera's own stream. Relative to the last forced keyframe: camera timestamps need not
    /// start at zero.
    /// </summary>
    public const string KeyframeEvery2s = "expr:if(isnan(prev_forced_t),1,gte(t-prev_forced_t,2))";

    /// <summary>Real-time H.264: ultrafast costs about half of veryfast (docs/benchmarks.md, "Privacy masks").</summary>
    private static readonly string[] RealtimeEncoder =
        ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-crf", "23", "-force_key_frames", KeyframeEvery2s];

    /// <summary>
    /// A ceiling for continuous encodes of a known frame size: 0.1 bit per pixel at 25 fps (5.2 Mb/s at 1080p). Noisy
    /// pictures at crf 23 ultrafast otherwise take ~3x the camera's own bitrate on disk.
    /// </summary>
    public static int MaxKbps(int width, int height) => (int)Math.Ceiling(width * (long)height * 25 * 0.1 / 1000);

    /// <summary>
    /// The arguments for one masked output of the given use, the mask file being input <paramref name="maskInput"/>.
    /// <paramref name="frame"/>, when known, holds the picture at that size (see <see cref="FilterGraph"/>) and caps the
    /// bitrate of the continuous (recording, live) encodes.
    /// </summary>
    public static MaskedVideo For(MaskUse use, string maskFile, (int Width, int Height)? frame = null, int videoInput = 0, int maskInput = 1)
    {
        var known = frame is { Width: > 1, Height: > 1 } ? frame : null;
        string[] cap = known is { } f && use is MaskUse.Recording or MaskUse.Live
            ? ["-maxrate", $"{MaxKbps(f.Width, f.Height)}k", "-bufsize", $"{2 * MaxKbps(f.Width, f.Height)}k"]
            : [];
        string[] encoder = use switch
        {
            // The tee muxer carries the one encoded stream to both segments and live; mp4 inside tee needs the
            // parameter sets in the stream header.
            MaskUse.Recording => [.. RealtimeEncoder, .. cap, "-flags:v", "+global_header"],
            MaskUse.Live => [.. RealtimeEncoder, .. cap],
            MaskUse.Playback => RealtimeEncoder,
            // Not real-time: a smaller file for the same quality.
            MaskUse.Export => ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-force_key_frames", KeyframeEvery2s],
            MaskUse.Snapshot => [], // the caller picks the image encoder
            _ => throw new ArgumentOutOfRangeException(nameof(use)),
        };
        return new MaskedVideo(
            known is null ? [] : ["-reinit_filter", "0"],
            // The demuxer named: the path is never read as an image-sequence pattern.
            ["-f", "pam_pipe", "-i", maskFile],
            ["-filter_complex", FilterGraph(videoInput, maskInput, known), "-map", $"[{OutputLabel}]", .. encoder]);
    }
}
