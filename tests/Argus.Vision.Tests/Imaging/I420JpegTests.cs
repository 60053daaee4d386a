using Argus.Vision.Imaging;
using SkiaSharp;

namespace Argus.Vision.Tests.Imaging;

public class I420JpegTests
{
    /// <summary>An I420 frame: left half red, right half blue (BT.601 limited range).</summary>
    private static byte[] RedBlue(int w, int h)
    {
        var f = new byte[w * h * 3 / 2];
        var u = f.AsSpan(w * h, w * h / 4);
        var v = f.AsSpan((w * h) + (w * h / 4), w * h / 4);
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var red = x < w / 2;
                f[(y * w) + x] = red ? (byte)81 : (byte)41;
                if (y % 2 == 0 && x % 2 == 0)
                {
                    u[((y / 2) * (w / 2)) + (x / 2)] = red ? (byte)90 : (byte)240;
                    v[((y / 2) * (w / 2)) + (x / 2)] = red ? (byte)240 : (byte)110;
                }
            }
        return f;
    }

    [Fact]
    public void A_crop_is_a_jpeg_of_the_crop_in_its_colours()
    {
        var jpeg = I420Jpeg.Encode(RedBlue(64, 32), 64, 32, 16, 0, 32, 32);
        using var bmp = SKBitmap.Decode(jpeg);
        Assert.Equal(32, bmp.Width);
        Assert.Equal(32, bmp.Height);
        var left = bmp.GetPixel(4, 16);
        var right = bmp.GetPixel(28, 16);
        Assert.True(left.Red > 200 && left.Blue < 60, $"left {left}");
        Assert.True(right.Blue > 200 && right.Red < 60, $"right {right}");
    }

    [Fact]
    public void The_privacy_mask_is_black_in_the_picture()
    {
        const int w = 64, h = 32;
        var mask = new byte[w * h];
        for (var y = 0; y < h; y++) for (var x = 0; x < w / 2; x++) mask[(y * w) + x] = 255; // the red half is private
        var jpeg = I420Jpeg.Encode(RedBlue(w, h), w, h, 0, 0, w, h, mask);
        using var bmp = SKBitmap.Decode(jpeg);
        var masked = bmp.GetPixel(8, 16);
        Assert.True(masked.Red < 20 && masked.Green < 20 && masked.Blue < 20, $"masked {masked}");
        Assert.True(bmp.GetPixel(56, 16).Blue > 200);
    }

    [Fact]
    public void A_crop_outside_the_frame_is_clamped_and_a_short_frame_refused()
    {
        var jpeg = I420Jpeg.Encode(RedBlue(64, 32), 64, 32, 50, 20, 100, 100);
        using var bmp = SKBitmap.Decode(jpeg);
        Assert.Equal(14, bmp.Width);
        Assert.Equal(12, bmp.Height);
        Assert.Throws<ArgumentException>(() => I420Jpeg.Encode(new byte[100], 64, 32, 0, 0, 10, 10));
    }
}
