using System.Numerics;
using System.Runtime.InteropServices;

namespace Argus.Vision;

/// <summary>
/// A gray frame averaged over f x f blocks into a small float grid. Averaging 16 pixels (f = 4) divides sensor and
/// compression noise by 4 and makes everything after it 16 times cheaper; people and cars stay many cells large.
/// </summary>
internal sealed class GrayGrid
{
    private readonly ushort[] _rowSums;
    private readonly float _scale;

    public GrayGrid(int frameWidth, int frameHeight, int targetWidth)
    {
        if (frameWidth < 8 || frameHeight < 8) throw new ArgumentException("frame too small (at least 8 x 8).");
        FrameWidth = frameWidth;
        FrameHeight = frameHeight;
        // Up to 257 rows of 255 fit a ushort sum.
        Factor = Math.Clamp(frameWidth / targetWidth, 1, 16);
        Width = frameWidth / Factor;
        Height = frameHeight / Factor;
        Cells = new float[Width * Height];
        _rowSums = new ushort[Width * Factor + Vector<ushort>.Count * 2];
        _scale = 1f / (Factor * Factor);
    }

    public int FrameWidth { get; }
    public int FrameHeight { get; }
    public int Factor { get; }
    public int Width { get; }
    public int Height { get; }
    public float[] Cells { get; }

    public void Load(ReadOnlySpan<byte> gray)
    {
        if (gray.Length < FrameWidth * FrameHeight) throw new ArgumentException($"frame has {gray.Length} bytes; {FrameWidth} x {FrameHeight} needs {FrameWidth * FrameHeight}.");
        var used = Width * Factor;
        var sums = _rowSums.AsSpan(0, used);
        for (var gy = 0; gy < Height; gy++)
        {
            sums.Clear();
            for (var r = 0; r < Factor; r++) AddRow(gray.Slice(((gy * Factor) + r) * FrameWidth, used), sums);
            var cells = Cells.AsSpan(gy * Width, Width);
            for (var gx = 0; gx < Width; gx++)
            {
                var s = 0;
                var block = sums.Slice(gx * Factor, Factor);
                foreach (var v in block) s += v;
                cells[gx] = s * _scale;
            }
        }
    }

    private static void AddRow(ReadOnlySpan<byte> row, Span<ushort> sums)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var bytes = MemoryMarshal.Cast<byte, Vector<byte>>(row);
            var acc = MemoryMarshal.Cast<ushort, Vector<ushort>>(sums);
            for (var v = 0; v < bytes.Length; v++)
            {
                Vector.Widen(bytes[v], out var lo, out var hi);
                acc[2 * v] += lo;
                acc[(2 * v) + 1] += hi;
            }
            i = bytes.Length * Vector<byte>.Count;
        }
        for (; i < row.Length; i++) sums[i] += row[i];
    }
}
