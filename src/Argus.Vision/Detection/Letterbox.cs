using Argus.Core.Objects;

namespace Argus.Vision.Detection;

/// <summary>A rectangle in frame pixels (the crop handed to the detector).</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public static PixelRect Whole(int width, int height) => new(0, 0, width, height);

    /// <summary>A normalised box as pixels, grown by <paramref name="margin"/> (fraction of its size) and clamped to the frame: a region around motion.</summary>
    public static PixelRect Around(NormBox box, int width, int height, double margin = 0.1)
    {
        var mx = box.Width * margin;
        var my = box.Height * margin;
        var x1 = Math.Clamp((int)Math.Floor((box.X - mx) * width), 0, width - 1);
        var y1 = Math.Clamp((int)Math.Floor((box.Y - my) * height), 0, height - 1);
        var x2 = Math.Clamp((int)Math.Ceiling((box.Right + mx) * width), x1 + 1, width);
        var y2 = Math.Clamp((int)Math.Ceiling((box.Bottom + my) * height), y1 + 1, height);
        return new PixelRect(x1, y1, x2 - x1, y2 - y1);
    }
}

public enum Interpolation { Bilinear, Nearest }

/// <summary>The model input a letterbox fills: NCHW float, its size, colour order, scale, placement and pad.</summary>
public readonly record struct LetterboxSettings(
    int Width, int Height, ChannelOrder Order, PixelScale Scale, LetterboxPlacement Placement, byte PadValue,
    Interpolation Interpolation = Interpolation.Bilinear)
{
    public int TensorLength => 3 * Width * Height;
}

/// <summary>
/// Where the crop landed in the model input: input pixel = pad + (frame pixel - crop origin) * scale. Detections map
/// back through <see cref="ToFrame"/>.
/// </summary>
public readonly record struct LetterboxMapping(int FrameWidth, int FrameHeight, PixelRect Crop, double ScaleX, double ScaleY, int PadX, int PadY)
{
    /// <summary>An input-pixel box as normalised frame coordinates, clamped to the crop (the model saw nothing outside it).</summary>
    public NormBox ToFrame(double x1, double y1, double x2, double y2)
    {
        var fx1 = Math.Clamp(Crop.X + (x1 - PadX) / ScaleX, Crop.X, Crop.Right);
        var fy1 = Math.Clamp(Crop.Y + (y1 - PadY) / ScaleY, Crop.Y, Crop.Bottom);
        var fx2 = Math.Clamp(Crop.X + (x2 - PadX) / ScaleX, fx1, Crop.Right);
        var fy2 = Math.Clamp(Crop.Y + (y2 - PadY) / ScaleY, fy1, Crop.Bottom);
        return NormBox.FromCorners(fx1 / FrameWidth, fy1 / FrameHeight, fx2 / FrameWidth, fy2 / FrameHeight);
    }

    /// <summary>A frame pixel as input pixels (the inverse of <see cref="ToFrame"/> inside the crop).</summary>
    public (double X, double Y) ToInput(double frameX, double frameY) =>
        (PadX + (frameX - Crop.X) * ScaleX, PadY + (frameY - Crop.Y) * ScaleY);
}

/// <summary>
/// I420 (yuv420p) frame crop to the model's NCHW float tensor in one pass: resize (bilinear by default), BT.601
/// limited-range YUV to RGB (ffmpeg's default for yuv420p), channel order and scale, pad. Stateless and thread-safe;
/// no heap allocation per call (column tables live on the stack), so every camera thread can call it at once.
/// </summary>
public sealed class Letterbox
{
    // BT.601 limited range: Y 16..235, U/V 16..240 around 128.
    private const float Ky = 255f / 219f;
    private const float Krv = 1.59603f, Kgu = 0.39176f, Kgv = 0.81297f, Kbu = 2.01723f;
    private const int MaxWidth = 4096;

    public Letterbox(LetterboxSettings settings)
    {
        if (settings.Width is < 1 or > MaxWidth || settings.Height is < 1 or > MaxWidth)
            throw new ArgumentException($"letterbox size must be 1..{MaxWidth}; got {settings.Width}x{settings.Height}.");
        Settings = settings;
    }

    public LetterboxSettings Settings { get; }

    /// <summary>Bytes of an I420 frame of this size.</summary>
    public static int FrameLength(int width, int height) => width * height * 3 / 2;

    /// <summary>Fills <paramref name="tensor"/> (at least <see cref="LetterboxSettings.TensorLength"/> floats) from the crop of the frame.</summary>
    /// <exception cref="ArgumentException">odd or empty frame size, short buffer, crop outside the frame.</exception>
    public LetterboxMapping Run(ReadOnlySpan<byte> i420, int width, int height, PixelRect crop, Span<float> tensor)
    {
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0)
            throw new ArgumentException($"I420 frames need an even width and height; got {width}x{height}.");
        if (i420.Length < FrameLength(width, height))
            throw new ArgumentException($"an I420 {width}x{height} frame is {FrameLength(width, height)} bytes; got {i420.Length}.");
        if (crop.Width < 1 || crop.Height < 1 || crop.X < 0 || crop.Y < 0 || crop.Right > width || crop.Bottom > height)
            throw new ArgumentException($"crop {crop} is not inside the {width}x{height} frame.");
        var s = Settings;
        var plane = s.Width * s.Height;
        if (tensor.Length < 3 * plane) throw new ArgumentException($"the tensor needs {3 * plane} floats; got {tensor.Length}.");

        var r = Math.Min(s.Width / (double)crop.Width, s.Height / (double)crop.Height);
        var nw = Math.Clamp((int)Math.Round(crop.Width * r), 1, s.Width);
        var nh = Math.Clamp((int)Math.Round(crop.Height * r), 1, s.Height);
        var padX = s.Placement == LetterboxPlacement.Center ? (s.Width - nw) / 2 : 0;
        var padY = s.Placement == LetterboxPlacement.Center ? (s.Height - nh) / 2 : 0;
        var k = s.Scale == PixelScale.Unit ? 1f / 255f : 1f;

        FillPad(tensor[..(3 * plane)], s, nw, nh, padX, padY, s.Scale == PixelScale.Unit ? s.PadValue / 255f : s.PadValue);

        // Column tables: luma x0 and weight, chroma x0 and weight (chroma is half resolution).
        Span<int> lx = stackalloc int[nw];
        Span<float> lw = stackalloc float[nw];
        Span<int> cx = stackalloc int[nw];
        Span<float> cw = stackalloc float[nw];
        var stepX = crop.Width / (double)nw;
        var cwidth = width / 2;
        for (var ox = 0; ox < nw; ox++)
        {
            var sx = crop.X + (ox + 0.5) * stepX - 0.5;
            Sample(sx, width, s.Interpolation, out lx[ox], out lw[ox]);
            Sample((sx + 0.5) / 2 - 0.5, cwidth, s.Interpolation, out cx[ox], out cw[ox]);
        }

        var stepY = crop.Height / (double)nh;
        var cheight = height / 2;
        var yPlane = i420[..(width * height)];
        var uPlane = i420.Slice(width * height, cwidth * cheight);
        var vPlane = i420.Slice(width * height + cwidth * cheight, cwidth * cheight);
        // Plane order in the tensor: R first for RGB, B first for BGR.
        var rPlane = tensor.Slice(s.Order == ChannelOrder.Rgb ? 0 : 2 * plane, plane);
        var gPlane = tensor.Slice(plane, plane);
        var bPlane = tensor.Slice(s.Order == ChannelOrder.Rgb ? 2 * plane : 0, plane);

        for (var oy = 0; oy < nh; oy++)
        {
            var sy = crop.Y + (oy + 0.5) * stepY - 0.5;
            Sample(sy, height, s.Interpolation, out var ly, out var lwy);
            Sample((sy + 0.5) / 2 - 0.5, cheight, s.Interpolation, out var cy, out var cwy);
            var y0 = yPlane.Slice(ly * width, width);
            var y1 = yPlane.Slice(Math.Min(ly + 1, height - 1) * width, width);
            var u0 = uPlane.Slice(cy * cwidth, cwidth);
            var u1 = uPlane.Slice(Math.Min(cy + 1, cheight - 1) * cwidth, cwidth);
            var v0 = vPlane.Slice(cy * cwidth, cwidth);
            var v1 = vPlane.Slice(Math.Min(cy + 1, cheight - 1) * cwidth, cwidth);
            var row = (padY + oy) * s.Width + padX;
            var rr = rPlane.Slice(row, nw);
            var gg = gPlane.Slice(row, nw);
            var bb = bPlane.Slice(row, nw);
            for (var ox = 0; ox < nw; ox++)
            {
                var x = lx[ox];
                var x1 = Math.Min(x + 1, width - 1);
                var wx = lw[ox];
                var top = y0[x] + (y0[x1] - y0[x]) * wx;
                var bottom = y1[x] + (y1[x1] - y1[x]) * wx;
                var yv = top + (bottom - top) * lwy;

                var c = cx[ox];
                var c1 = Math.Min(c + 1, cwidth - 1);
                var wc = cw[ox];
                var ut = u0[c] + (u0[c1] - u0[c]) * wc;
                var ub = u1[c] + (u1[c1] - u1[c]) * wc;
                var uv = ut + (ub - ut) * cwy - 128f;
                var vt = v0[c] + (v0[c1] - v0[c]) * wc;
                var vb = v1[c] + (v1[c1] - v1[c]) * wc;
                var vv = vt + (vb - vt) * cwy - 128f;

                var l = (yv - 16f) * Ky;
                rr[ox] = Math.Clamp(l + Krv * vv, 0f, 255f) * k;
                gg[ox] = Math.Clamp(l - Kgu * uv - Kgv * vv, 0f, 255f) * k;
                bb[ox] = Math.Clamp(l + Kbu * uv, 0f, 255f) * k;
            }
        }

        return new LetterboxMapping(width, height, crop, nw / (double)crop.Width, nh / (double)crop.Height, padX, padY);
    }

    private static void Sample(double pos, int size, Interpolation mode, out int index, out float weight)
    {
        if (mode == Interpolation.Nearest)
        {
            index = Math.Clamp((int)Math.Round(pos), 0, size - 1);
            weight = 0;
            return;
        }
        pos = Math.Clamp(pos, 0, size - 1);
        index = (int)pos;
        weight = (float)(pos - index);
    }

    private static void FillPad(Span<float> tensor, LetterboxSettings s, int nw, int nh, int padX, int padY, float pad)
    {
        var plane = s.Width * s.Height;
        for (var c = 0; c < 3; c++)
        {
            var p = tensor.Slice(c * plane, plane);
            p[..(padY * s.Width)].Fill(pad);
            p[((padY + nh) * s.Width)..].Fill(pad);
            if (nw == s.Width) continue;
            for (var y = padY; y < padY + nh; y++)
            {
                var row = p.Slice(y * s.Width, s.Width);
                row[..padX].Fill(pad);
                row[(padX + nw)..].Fill(pad);
            }
        }
    }
}
