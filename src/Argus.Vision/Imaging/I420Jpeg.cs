using SkiaSharp;

namespace Argus.Vision.Imaging;

/// <summary>
/// JPEG pictures straight from an analysis frame (I420), for object snapshots: a crop around the object, with the
/// camera's privacy mask blacked out first, so no picture ever shows what the mask hides.
/// </summary>
public static class I420Jpeg
{
    /// <param name="frame">I420: Y plane width x height, then U and V at half size.</param>
    /// <param name="privacy">Optional width x height bytes, non-zero where the privacy mask covers the frame.</param>
    /// <param name="x">Crop in pixels; clamped to the frame.</param>
    public static byte[] Encode(ReadOnlySpan<byte> frame, int width, int height, int x, int y, int w, int h, ReadOnlySpan<byte> privacy = default, int quality = 85)
    {
        if (frame.Length < width * height * 3 / 2) throw new ArgumentException("frame is smaller than an I420 frame of this size.");
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        w = Math.Clamp(w, 1, width - x);
        h = Math.Clamp(h, 1, height - y);
        var rgba = new byte[w * h * 4];
        var yPlane = frame[..(width * height)];
        var uPlane = frame.Slice(width * height, width / 2 * (height / 2));
        var vPlane = frame.Slice((width * height) + (width / 2 * (height / 2)), width / 2 * (height / 2));
        var masked = privacy.Length >= width * height;
        for (var row = 0; row < h; row++)
        {
            var fy = y + row;
            for (var col = 0; col < w; col++)
            {
                var fx = x + col;
                var o = ((row * w) + col) * 4;
                rgba[o + 3] = 255;
                if (masked && privacy[(fy * width) + fx] != 0) continue; // black
                var c = (yPlane[(fy * width) + fx] - 16) * 298;
                var ci = ((fy / 2) * (width / 2)) + (fx / 2);
                var d = uPlane[ci] - 128;
                var e = vPlane[ci] - 128;
                // BT.601 limited range, as ffmpeg's yuv420p output.
                rgba[o] = Clamp((c + (409 * e) + 128) >> 8);
                rgba[o + 1] = Clamp((c - (100 * d) - (208 * e) + 128) >> 8);
                rgba[o + 2] = Clamp((c + (516 * d) + 128) >> 8);
            }
        }
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var image = SKImage.FromPixelCopy(info, rgba);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
