using System.Diagnostics;
using Argus.Core.Geometry;
using Argus.Integration.Tests.Infrastructure;
using Argus.Media.Privacy;

namespace Argus.Media.Tests.Privacy;

/// <summary>
/// Judges decoded video against privacy masks: every pixel well inside a polygon (eroded by 1 px) must be black,
/// and the picture well outside the grown mask must still be there.
/// </summary>
internal sealed class MaskCheck
{
    /// <summary>Grey level (full range) below which a pixel counts as black; the mask's own black decodes to ~0.</summary>
    public const int Black = 20;
    /// <summary>The test clip's picture averages ~80; a blacked-out or broken frame is far below this.</summary>
    public const double Picture = 30;

    private readonly bool[] _inside, _outside;
    public int Width { get; }
    public int Height { get; }
    public int InsidePixels { get; }

    public MaskCheck(IReadOnlyList<Polygon> masks, int width, int height)
    {
        (Width, Height) = (width, height);
        _inside = new bool[width * height];
        _outside = new bool[width * height];
        var margin = PrivacyMask.DilationFor(width) + 2;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                _inside[y * width + x] = All(masks, x, y, 1, width, height, true);
                _outside[y * width + x] = All(masks, x, y, margin, width, height, false);
            }
        InsidePixels = _inside.Count(b => b);
    }

    /// <summary>Whether the pixel and its 8 neighbours at distance d are all inside (or all outside) every polygon.</summary>
    private static bool All(IReadOnlyList<Polygon> masks, int x, int y, int d, int w, int h, bool inside)
    {
        for (var dy = -d; dy <= d; dy += d)
            for (var dx = -d; dx <= d; dx += d)
            {
                var covered = masks.Any(p => p.Contains((x + dx + 0.5) / w, (y + dy + 0.5) / h));
                if (covered != inside) return false;
            }
        return true;
    }

    public (int MaxInside, double MeanOutside) Measure(byte[] frame)
    {
        int max = 0;
        long sum = 0, n = 0;
        for (var i = 0; i < frame.Length; i++)
        {
            if (_inside[i]) max = Math.Max(max, frame[i]);
            else if (_outside[i]) { sum += frame[i]; n++; }
        }
        return (max, n == 0 ? 0 : (double)sum / n);
    }

    /// <summary>Every frame black inside, picture outside; returns the number of frames judged.</summary>
    public int AssertMasked(IReadOnlyList<byte[]> frames, string what)
    {
        Assert.NotEmpty(frames);
        for (var i = 0; i < frames.Count; i++)
        {
            var (max, mean) = Measure(frames[i]);
            Assert.True(max <= Black, $"{what}: frame {i} has grey {max} inside the mask");
            Assert.True(mean > Picture, $"{what}: frame {i} is dark outside the mask too (mean {mean:0.0})");
        }
        return frames.Count;
    }

    /// <summary>An image (a snapshot's JPEG) judged like a one-frame video.</summary>
    public static void AssertMaskedImage(byte[] image, IReadOnlyList<Polygon> masks, string dir, string what)
    {
        var file = Path.Combine(dir, Guid.NewGuid().ToString("N")[..8] + ".jpg");
        File.WriteAllBytes(file, image);
        var (w, h, frames) = DecodeGray(file);
        Assert.Single(frames);
        new MaskCheck(masks, w, h).AssertMasked(frames, what);
    }

    /// <summary>Every frame of the video file as full-range grey, at its own size.</summary>
    public static (int Width, int Height, List<byte[]> Frames) DecodeGray(string path)
    {
        var (_, w, h) = Ffprobe.Video(path) ?? throw new InvalidOperationException($"ffprobe cannot read {path}");
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var frames = new List<byte[]>();
        var stdout = p.StandardOutput.BaseStream;
        while (true)
        {
            var frame = new byte[w * h];
            var read = 0;
            while (read < frame.Length && stdout.Read(frame, read, frame.Length - read) is var n and > 0) read += n;
            if (read < frame.Length) break;
            frames.Add(frame);
        }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"decoding {path} failed: {err.Result}");
        return (w, h, frames);
    }
}
