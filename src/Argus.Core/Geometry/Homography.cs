namespace Argus.Core.Geometry;

/// <summary>
/// A plane-to-plane projective map from normalised image points to ground coordinates in metres, fitted exactly to
/// four reference points (direct linear transform with h33 = 1). Used to turn a foot point's motion into a speed.
/// </summary>
public sealed class Homography
{
    // Row-major 3x3, h[8] = 1.
    private readonly double[] _h;

    // The sign of w at the reference points: points where w has the other sign lie beyond the horizon.
    private readonly double _side;

    private Homography(double[] h, double side)
    {
        _h = h;
        _side = side;
    }

    /// <summary>The 9 coefficients, row major (the last is 1).</summary>
    public IReadOnlyList<double> Coefficients => _h;

    /// <exception cref="ArgumentException">when the points are not 4 each, not finite, repeated or 3 of them on one line.</exception>
    public static Homography FromPoints(IReadOnlyList<NormPoint> image, IReadOnlyList<(double X, double Y)> ground)
    {
        if (image.Count != 4 || ground.Count != 4) throw new ArgumentException("a homography needs exactly 4 image points and 4 ground points.");
        var img = new (double X, double Y)[4];
        for (var i = 0; i < 4; i++) img[i] = (image[i].X, image[i].Y);
        CheckQuad(img, "image");
        CheckQuad([.. ground], "ground");

        // Each pair gives two rows: h11 x + h12 y + h13 - h31 x X - h32 y X = X, and the same for Y.
        var a = new double[8, 9];
        for (var i = 0; i < 4; i++)
        {
            var (x, y) = img[i];
            var (gx, gy) = ground[i];
            int r = 2 * i, s = r + 1;
            a[r, 0] = x; a[r, 1] = y; a[r, 2] = 1; a[r, 6] = -x * gx; a[r, 7] = -y * gx; a[r, 8] = gx;
            a[s, 3] = x; a[s, 4] = y; a[s, 5] = 1; a[s, 6] = -x * gy; a[s, 7] = -y * gy; a[s, 8] = gy;
        }
        var h = Solve(a) ?? throw new ArgumentException("the reference points do not define a homography (degenerate configuration).");
        var result = new double[9];
        Array.Copy(h, result, 8);
        result[8] = 1;
        var side = 0.0;
        foreach (var (x, y) in img)
        {
            var w = Math.Sign((result[6] * x) + (result[7] * y) + 1);
            if (side != 0 && w != side) throw new ArgumentException("the image and ground points are not in the same order around the area (the fit folds the plane); list both in the same order, e.g. clockwise.");
            side = w;
        }
        return new Homography(result, side);
    }

    /// <summary>Ground coordinates (metres) of an image point; NaN for points on or beyond the horizon line.</summary>
    public (double X, double Y) Apply(NormPoint p)
    {
        var h = _h;
        var w = (h[6] * p.X) + (h[7] * p.Y) + h[8];
        if (!(Math.Abs(w) >= 1e-12)) return (double.NaN, double.NaN); // also NaN input
        var x = ((h[0] * p.X) + (h[1] * p.Y) + h[2]) / w;
        var y = ((h[3] * p.X) + (h[4] * p.Y) + h[5]) / w;
        return (w > 0 ? 1 : -1) != _side ? (double.NaN, double.NaN) : (x, y);
    }

    private static void CheckQuad((double X, double Y)[] p, string what)
    {
        double scale = 0;
        foreach (var (x, y) in p)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y)) throw new ArgumentException($"{what} points must be finite numbers.");
            scale = Math.Max(scale, Math.Max(Math.Abs(x), Math.Abs(y)));
        }
        var eps = Math.Max(scale, 1e-9) * 1e-9;
        for (var i = 0; i < 4; i++)
            for (var j = i + 1; j < 4; j++)
                if (Math.Abs(p[i].X - p[j].X) <= eps && Math.Abs(p[i].Y - p[j].Y) <= eps)
                    throw new ArgumentException($"{what} points {i + 1} and {j + 1} are the same point.");
        for (var i = 0; i < 4; i++)
        {
            for (var j = i + 1; j < 4; j++)
            {
                for (var k = j + 1; k < 4; k++)
                {
                    double ux = p[j].X - p[i].X, uy = p[j].Y - p[i].Y, vx = p[k].X - p[i].X, vy = p[k].Y - p[i].Y;
                    // Sine of the angle between the two edges: scale-free, so metres and fractions are judged alike.
                    var sin = ((ux * vy) - (uy * vx)) / (Math.Sqrt((ux * ux) + (uy * uy)) * Math.Sqrt((vx * vx) + (vy * vy)));
                    if (Math.Abs(sin) < 1e-3)
                        throw new ArgumentException($"{what} points {i + 1}, {j + 1} and {k + 1} are on one line; pick 4 points with no 3 in a row (e.g. the corners of a marked rectangle).");
                }
            }
        }
    }

    /// <summary>Gaussian elimination with partial pivoting on an n x (n+1) augmented matrix; null when singular.</summary>
    internal static double[]? Solve(double[,] a)
    {
        var n = a.GetLength(0);
        double norm = 0;
        for (var r = 0; r < n; r++) for (var c = 0; c < n; c++) norm = Math.Max(norm, Math.Abs(a[r, c]));
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            if (Math.Abs(a[pivot, col]) <= norm * 1e-12) return null;
            if (pivot != col)
                for (var c = col; c <= n; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            for (var r = col + 1; r < n; r++)
            {
                var f = a[r, col] / a[col, col];
                if (f == 0) continue;
                for (var c = col; c <= n; c++) a[r, c] -= f * a[col, c];
            }
        }
        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var sum = a[r, n];
            for (var c = r + 1; c < n; c++) sum -= a[r, c] * x[c];
            x[r] = sum / a[r, r];
        }
        return x;
    }
}
