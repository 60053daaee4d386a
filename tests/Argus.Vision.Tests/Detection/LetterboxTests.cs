using System.Diagnostics;
using Argus.Core.Objects;
using Argus.Vision.Detection;
using Xunit.Abstractions;

namespace Argus.Vision.Tests.Detection;

public sealed class LetterboxTests(ITestOutputHelper output)
{
    private static byte[] Frame(int w, int h, byte y, byte u, byte v)
    {
        var f = new byte[Letterbox.FrameLength(w, h)];
        f.AsSpan(0, w * h).Fill(y);
        f.AsSpan(w * h, w * h / 4).Fill(u);
        f.AsSpan(w * h + w * h / 4).Fill(v);
        return f;
    }

    [Fact]
    public void Converts_bt601_limited_range_to_the_requested_order_and_scale()
    {
        // Limited-range red is Y 81, U 90, V 240.
        var frame = Frame(64, 32, 81, 90, 240);
        var bgr = new Letterbox(new LetterboxSettings(64, 64, ChannelOrder.Bgr, PixelScale.Raw255, LetterboxPlacement.TopLeft, 114));
        var t = new float[bgr.Settings.TensorLength];
        bgr.Run(frame, 64, 32, PixelRect.Whole(64, 32), t);
        var plane = 64 * 64;
        Assert.InRange(t[0], 0, 3);                 // B
        Assert.InRange(t[plane], 0, 3);             // G
        Assert.InRange(t[2 * plane], 252, 255);     // R
        // Top-left placement: the lower half is padding, exactly the pad value.
        Assert.All(new[] { t[40 * 64], t[plane + 63 * 64 + 63], t[2 * plane + 32 * 64] }, p => Assert.Equal(114f, p));

        var rgbUnit = new Letterbox(new LetterboxSettings(64, 64, ChannelOrder.Rgb, PixelScale.Unit, LetterboxPlacement.Center, 114));
        rgbUnit.Run(frame, 64, 32, PixelRect.Whole(64, 32), t);
        Assert.InRange(t[32 * 64], 0.99f, 1f);      // R first, centred: row 32 is image
        Assert.Equal(114f / 255f, t[0]);             // row 0 is padding
        Assert.Equal(114f / 255f, t[plane + 63 * 64]);
    }

    [Fact]
    public void Places_a_crop_where_the_mapping_says_and_maps_boxes_back()
    {
        // A white 20x10 square at (300, 200) of a black 640x360 frame; crop (280..440, 180..260) into 64x64, centred.
        const int w = 640, h = 360;
        var frame = Frame(w, h, 16, 128, 128);
        for (var y = 200; y < 210; y++) frame.AsSpan(y * w + 300, 20).Fill(235);
        var crop = new PixelRect(280, 180, 160, 80);
        var lb = new Letterbox(new LetterboxSettings(64, 64, ChannelOrder.Rgb, PixelScale.Raw255, LetterboxPlacement.Center, 114));
        var t = new float[lb.Settings.TensorLength];
        var m = lb.Run(frame, w, h, crop, t);

        Assert.Equal(0.4, m.ScaleX, 6);
        Assert.Equal(0.4, m.ScaleY, 6);
        Assert.Equal((0, 16), (m.PadX, m.PadY));
        // The square's centre (310, 205) lands at input (12, 26): white there, black just outside.
        var (ix, iy) = m.ToInput(310, 205);
        Assert.Equal((12.0, 26.0), (ix, iy));
        Assert.True(t[26 * 64 + 12] > 200, $"centre {t[26 * 64 + 12]}");
        Assert.True(t[26 * 64 + 20] < 5, $"outside {t[26 * 64 + 20]}");

        // Round trip: a frame box inside the crop -> input pixels -> back.
        var box = NormBox.FromCorners(300.0 / w, 200.0 / h, 320.0 / w, 210.0 / h);
        var (x1, y1) = m.ToInput(box.X * w, box.Y * h);
        var (x2, y2) = m.ToInput(box.Right * w, box.Bottom * h);
        var back = m.ToFrame(x1, y1, x2, y2);
        Assert.Equal(box.X, back.X, 9);
        Assert.Equal(box.Y, back.Y, 9);
        Assert.Equal(box.Right, back.Right, 9);
        Assert.Equal(box.Bottom, back.Bottom, 9);
    }

    [Fact]
    public void Top_left_whole_frame_mapping_matches_yolox()
    {
        var lb = new Letterbox(new LetterboxSettings(416, 416, ChannelOrder.Bgr, PixelScale.Raw255, LetterboxPlacement.TopLeft, 114));
        var t = new float[lb.Settings.TensorLength];
        var m = lb.Run(Frame(640, 360, 100, 128, 128), 640, 360, PixelRect.Whole(640, 360), t);
        Assert.Equal(0.65, m.ScaleX, 6);
        Assert.Equal(234 / 360.0, m.ScaleY, 6);
        Assert.Equal((0, 0), (m.PadX, m.PadY));
        var whole = m.ToFrame(0, 0, 416, 416);
        Assert.Equal(new NormBox(0, 0, 1, 1), whole);
    }

    [Fact]
    public void Refuses_odd_frames_short_buffers_and_crops_outside()
    {
        var lb = new Letterbox(new LetterboxSettings(64, 64, ChannelOrder.Bgr, PixelScale.Raw255, LetterboxPlacement.TopLeft, 114));
        var t = new float[lb.Settings.TensorLength];
        Assert.Throws<ArgumentException>(() => lb.Run(new byte[Letterbox.FrameLength(64, 32)], 63, 32, PixelRect.Whole(63, 32), t));
        Assert.Throws<ArgumentException>(() => lb.Run(new byte[100], 64, 32, PixelRect.Whole(64, 32), t));
        Assert.Throws<ArgumentException>(() => lb.Run(new byte[Letterbox.FrameLength(64, 32)], 64, 32, new PixelRect(10, 10, 60, 10), t));
        Assert.Throws<ArgumentException>(() => lb.Run(new byte[Letterbox.FrameLength(64, 32)], 64, 32, PixelRect.Whole(64, 32), new float[10]));
    }

    [Fact]
    public void Measures_a_416_letterbox_of_a_640x360_frame()
    {
        // Reported, not asserted (timings are never asserted): see docs/benchmarks.md.
        var lb = new Letterbox(new LetterboxSettings(416, 416, ChannelOrder.Bgr, PixelScale.Raw255, LetterboxPlacement.TopLeft, 114));
        var t = new float[lb.Settings.TensorLength];
        var frame = Frame(640, 360, 100, 120, 140);
        for (var i = 0; i < 20; i++) lb.Run(frame, 640, 360, PixelRect.Whole(640, 360), t);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        const int n = 100;
        for (var i = 0; i < n; i++) lb.Run(frame, 640, 360, PixelRect.Whole(640, 360), t);
        sw.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"letterbox 640x360 -> 416x416: {sw.Elapsed.TotalMilliseconds / n:0.00} ms per frame, {allocated} bytes allocated in {n} calls");
        // Nothing per call (the runtime may allocate a few bytes once while it re-jits the loop).
        Assert.True(allocated < 1024, $"{allocated} bytes allocated");
    }
}
