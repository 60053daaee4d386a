using Argus.Core.Geometry;

namespace Argus.Vision.Motion;

/// <summary>
/// Motion in gray frames against an adaptive background, on a grid of ~160 cells across (4 x 4 pixel blocks of a
/// 640 x 360 frame).
/// <list type="bullet">
/// <item>Lighting: each frame the background is refitted to the frame's brightness (least squares gain and offset over
/// the cells that look like background), so flicker, dawn and auto exposure do not read as motion; when most of the
/// frame still differs it is a lighting change (lights switched, IR mode) and the background is re-learned at once.</item>
/// <item>Noise, trees, water: each cell keeps the variance of its own difference, and its threshold is the larger of a
/// fixed level and k standard deviations, so restless cells need a larger change.</item>
/// <item>Local light (headlights sweeping a wall): a region whose brightening a local gain + offset fit of the background
/// explains almost everywhere is light, not motion.</item>
/// <item>Speckle: a 3 x 3 majority filter, then connected regions below MinArea are dropped.</item>
/// <item>Background learning: ~4 s time constant where nothing moves, ~30 s under moving regions, so a parked car or a
/// person who stands still long enough becomes background instead of motion forever.</item>
/// </list>
/// Not thread-safe: one detector per camera, called from the camera's feed thread. No allocation per frame.
/// </summary>
public sealed class MotionDetector
{
    private const int GridTarget = 160;
    private const double BackgroundSeconds = 4;
    private const double ForegroundSeconds = 30;
    private const double NoiseSeconds = 10;
    private const float InitialVariance = 4;
    private const float MinVariance = 1;
    private const float MaxVariance = 40 * 40;
    private const double LightingFraction = 0.5;
    private const int LocalRadius = 4;
    private const float LocalResidual = 0.25f;
    private const double LocalLitFraction = 0.85;
    /// <summary>Light keeps the texture it falls on (gain near or above 1); a flat object covering texture fits only with a gain near 0.</summary>
    private const double MinLitGain = 0.3;
    private const double MinVarianceForGain = 4;
    private const float LocalNoise = 16;

    private readonly GrayGrid _grid;
    private readonly float[] _bg;
    private readonly float[] _var;
    private readonly float[] _diff;
    private readonly byte[] _masked;
    private readonly byte[] _raw;
    private readonly byte[] _clean;
    private readonly int[] _labels;
    private readonly int[] _stack;
    private readonly bool[] _kept;
    private readonly byte[] _lit;
    private readonly double[] _sumX, _sumY, _sumXX, _sumXY;
    private readonly MotionResult _result;
    private int _unmasked;
    private bool _learned;
    private DateTimeOffset _lastTime;
    private MotionSettings _settings;

    public MotionDetector(int width, int height, MotionSettings settings)
    {
        MotionSettings.Validate(settings);
        _settings = settings;
        _grid = new GrayGrid(width, height, GridTarget);
        var n = _grid.Width * _grid.Height;
        _bg = new float[n];
        _var = new float[n];
        _diff = new float[n];
        _masked = new byte[n];
        _raw = new byte[n];
        _clean = new byte[n];
        _labels = new int[n];
        _stack = new int[n];
        // A region has at least one cell; labels start at 1.
        _kept = new bool[n + 1];
        _lit = new byte[n];
        var integral = (_grid.Width + 1) * (_grid.Height + 1);
        _sumX = new double[integral];
        _sumY = new double[integral];
        _sumXX = new double[integral];
        _sumXY = new double[integral];
        _unmasked = n;
        _result = new MotionResult(this);
    }

    public int Width => _grid.FrameWidth;
    public int Height => _grid.FrameHeight;
    internal int GridWidth => _grid.Width;
    internal int GridHeight => _grid.Height;

    public MotionSettings Settings
    {
        get => _settings;
        set
        {
            MotionSettings.Validate(value);
            _settings = value;
        }
    }

    /// <summary>Areas to ignore (trees, a road outside the fence, a TV). Replaces the previous masks.</summary>
    public void SetMasks(IEnumerable<Polygon> motionMasks)
    {
        Array.Clear(_masked);
        foreach (var p in motionMasks) p.Fill(_masked, _grid.Width, _grid.Height, 1);
        _unmasked = _masked.Length - _masked.AsSpan().Count((byte)1);
    }

    /// <summary>A meter for the fraction of <paramref name="zone"/> in motion, read from this detector's results.</summary>
    public ZoneMeter CreateZoneMeter(Polygon zone)
    {
        var cells = new byte[_grid.Width * _grid.Height];
        zone.Fill(cells, _grid.Width, _grid.Height, 1);
        var indices = new List<int>();
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i] == 1) indices.Add(i);
        }
        return new ZoneMeter(this, [.. indices]);
    }

    /// <summary>Coverage of the given cells by regions that count in the last frame.</summary>
    internal double CoverageOf(int[] cells)
    {
        if (cells.Length == 0 || !_result.Motion) return 0;
        var moving = 0;
        foreach (var i in cells)
        {
            if (_kept[_labels[i]]) moving++;
        }
        return (double)moving / cells.Length;
    }

    /// <summary>
    /// Processes one gray frame (width x height bytes, row-major). Returns the detector's single result object,
    /// overwritten by the next call.
    /// </summary>
    public MotionResult Process(ReadOnlySpan<byte> gray, DateTimeOffset time)
    {
        var r = _result;
        r.Time = time;
        r.Motion = false;
        r.LightingChange = false;
        r.ChangedFraction = 0;
        r.RegionList.Clear();
        _kept[0] = false;
        if (!_settings.Enabled) return r;

        _grid.Load(gray);
        var cur = _grid.Cells;
        if (!_learned)
        {
            cur.CopyTo(_bg, 0);
            Array.Fill(_var, InitialVariance);
            Array.Clear(_clean);
            _learned = true;
            _lastTime = time;
            return r;
        }
        var dt = Math.Clamp((time - _lastTime).TotalSeconds, 0.01, 5);
        _lastTime = time;

        FitBackgroundToLighting();
        var foreground = Threshold();
        if (_unmasked > 0 && foreground > LightingFraction * _unmasked)
        {
            // Most of the picture changed at once: light, not motion. Start again from this frame.
            r.LightingChange = true;
            cur.CopyTo(_bg, 0);
            Array.Clear(_clean);
            Array.Clear(_labels);
            return r;
        }
        if (Majority() > 0) ExplainByLocalLight();
        var counted = Label();
        r.Motion = counted > 0;
        r.ChangedFraction = _unmasked > 0 ? (double)counted / _unmasked : 0;
        r.RegionList.Sort(static (a, b) => b.Area.CompareTo(a.Area));
        Learn(dt);
        return r;
    }

    /// <summary>
    /// Scales the background to this frame's lighting: cur ≈ gain * bg + offset, fitted over the cells that were not
    /// moving last frame, then refitted without the cells the first fit leaves far off (what moves now).
    /// </summary>
    private void FitBackgroundToLighting()
    {
        var (gain, offset) = LightingFit.Fit(_bg, _grid.Cells, _masked, _clean, float.PositiveInfinity);
        (gain, offset) = LightingFit.Fit(_bg, _grid.Cells, _masked, _clean, BaseThreshold() * 2, gain, offset);
        var bg = _bg;
        for (var i = 0; i < bg.Length; i++) bg[i] = (gain * bg[i]) + offset;
    }

    private float BaseThreshold() => 4f + ((100 - _settings.Sensitivity) * 0.3f);

    private int Threshold()
    {
        var cur = _grid.Cells;
        var baseT = BaseThreshold();
        var k = 2f + ((100 - _settings.Sensitivity) * 0.04f);
        var k2 = k * k;
        var count = 0;
        for (var i = 0; i < cur.Length; i++)
        {
            var d = cur[i] - _bg[i];
            _diff[i] = d;
            var d2 = d * d;
            var hit = _masked[i] == 0 && d2 > baseT * baseT && d2 > k2 * _var[i];
            _raw[i] = hit ? (byte)1 : (byte)0;
            if (hit) count++;
        }
        return count;
    }

    /// <summary>3 x 3 majority: removes speckle and one-cell lines (edges of a shaking camera), fills pinholes.</summary>
    private int Majority()
    {
        var count = 0;
        int w = _grid.Width, h = _grid.Height;
        var raw = _raw;
        for (var y = 0; y < h; y++)
        {
            var y0 = Math.Max(0, y - 1);
            var y1 = Math.Min(h - 1, y + 1);
            for (var x = 0; x < w; x++)
            {
                var x0 = Math.Max(0, x - 1);
                var x1 = Math.Min(w - 1, x + 1);
                var s = 0;
                for (var yy = y0; yy <= y1; yy++)
                {
                    var row = yy * w;
                    for (var xx = x0; xx <= x1; xx++) s += raw[row + xx];
                }
                var i = (y * w) + x;
                var on = s >= 5 && _masked[i] == 0;
                _clean[i] = on ? (byte)1 : (byte)0;
                if (on) count++;
            }
        }
        return count;
    }

    /// <summary>
    /// Flags the changed cells that light alone explains: around each, over (2 LocalRadius + 1)^2 cells, the frame is
    /// fitted as gain * background + offset, and the cell is lit if its residual is small against its change. A soft
    /// patch of light (headlights on a wall) is that everywhere, the same texture only brighter; a real object is not,
    /// at least along its edges, where the fit across the edge misses.
    /// </summary>
    private void ExplainByLocalLight()
    {
        int w = _grid.Width, h = _grid.Height, w1 = w + 1;
        var cur = _grid.Cells;
        for (var y = 0; y < h; y++)
        {
            double rx = 0, ry = 0, rxx = 0, rxy = 0;
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                double bx = _bg[i], cy = cur[i];
                rx += bx;
                ry += cy;
                rxx += bx * bx;
                rxy += bx * cy;
                var o = ((y + 1) * w1) + x + 1;
                _sumX[o] = _sumX[o - w1] + rx;
                _sumY[o] = _sumY[o - w1] + ry;
                _sumXX[o] = _sumXX[o - w1] + rxx;
                _sumXY[o] = _sumXY[o - w1] + rxy;
            }
        }
        for (var y = 0; y < h; y++)
        {
            var y0 = Math.Max(0, y - LocalRadius);
            var y1 = Math.Min(h, y + LocalRadius + 1);
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                _lit[i] = 0;
                if (_clean[i] == 0) continue;
                var x0 = Math.Max(0, x - LocalRadius);
                var x1 = Math.Min(w, x + LocalRadius + 1);
                int a = (y0 * w1) + x0, b = (y0 * w1) + x1, c = (y1 * w1) + x0, d = (y1 * w1) + x1;
                double n = (y1 - y0) * (x1 - x0);
                var mx = (_sumX[d] - _sumX[b] - _sumX[c] + _sumX[a]) / n;
                var my = (_sumY[d] - _sumY[b] - _sumY[c] + _sumY[a]) / n;
                var vx = ((_sumXX[d] - _sumXX[b] - _sumXX[c] + _sumXX[a]) / n) - (mx * mx);
                var cxy = ((_sumXY[d] - _sumXY[b] - _sumXY[c] + _sumXY[a]) / n) - (mx * my);
                // Pulled towards gain 1 where the background is flat (a wall at night): there only the offset can move.
                var gain = (cxy + MinVarianceForGain) / (vx + MinVarianceForGain);
                var residual = cur[i] - (my + (gain * (_bg[i] - mx)));
                var change = _diff[i];
                // Only brightening: light added; a darker patch is more often a person or a shadow attached to one.
                var lit = change > 0 && gain >= MinLitGain
                    && residual * residual <= (LocalResidual * LocalResidual * change * change) + LocalNoise;
                _lit[i] = lit ? (byte)1 : (byte)0;
            }
        }
    }

    /// <summary>8-connected regions of the cleaned mask; those of at least MinArea count. Returns their cell total.</summary>
    private int Label()
    {
        int w = _grid.Width, h = _grid.Height;
        var minCells = Math.Max(1, (int)Math.Ceiling(_settings.MinArea * w * h));
        Array.Clear(_labels);
        var next = 0;
        var counted = 0;
        for (var start = 0; start < _clean.Length; start++)
        {
            if (_clean[start] == 0 || _labels[start] != 0) continue;
            var label = ++next;
            var st = new RegionStats { MinX = int.MaxValue, MinY = int.MaxValue, MaxX = -1, MaxY = -1 };
            var top = 0;
            _stack[top++] = start;
            _labels[start] = label;
            while (top > 0)
            {
                var i = _stack[--top];
                int x = i % w, y = i / w;
                st.Add(x, y);
                st.Lit += _lit[i];
                for (var dy = -1; dy <= 1; dy++)
                {
                    var ny = y + dy;
                    if (ny < 0 || ny >= h) continue;
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var nx = x + dx;
                        if (nx < 0 || nx >= w) continue;
                        var j = (ny * w) + nx;
                        if (_clean[j] == 0 || _labels[j] != 0) continue;
                        _labels[j] = label;
                        _stack[top++] = j;
                    }
                }
            }
            // A region that light explains almost everywhere is light sweeping by, not something moving.
            var keep = st.Cells >= minCells && st.Lit < LocalLitFraction * st.Cells;
            _kept[label] = keep;
            if (!keep) continue;
            counted += st.Cells;
            _result.RegionList.Add(new MotionRegion(
                (double)st.MinX / w, (double)st.MinY / h, (double)(st.MaxX - st.MinX + 1) / w, (double)(st.MaxY - st.MinY + 1) / h,
                (double)st.Cells / (w * h)));
        }
        return counted;
    }

    private void Learn(double dt)
    {
        var aBg = (float)(1 - Math.Exp(-dt / BackgroundSeconds));
        var aFg = (float)(1 - Math.Exp(-dt / ForegroundSeconds));
        var aVar = (float)(1 - Math.Exp(-dt / NoiseSeconds));
        var cur = _grid.Cells;
        var capT = 3 * BaseThreshold();
        var cap = capT * capT;
        for (var i = 0; i < cur.Length; i++)
        {
            var moving = _raw[i] != 0;
            _bg[i] += (moving ? aFg : aBg) * (cur[i] - _bg[i]);
            // Capped so one passing car does not blind a cell for long; restless cells (leaves) still climb.
            var d2 = Math.Min(_diff[i] * _diff[i], cap);
            _var[i] = Math.Clamp(_var[i] + ((moving ? aFg : aVar) * (d2 - _var[i])), MinVariance, MaxVariance);
        }
    }

    private struct RegionStats
    {
        public int MinX, MinY, MaxX, MaxY, Cells, Lit;

        public void Add(int x, int y)
        {
            if (x < MinX) MinX = x;
            if (x > MaxX) MaxX = x;
            if (y < MinY) MinY = y;
            if (y > MaxY) MaxY = y;
            Cells++;
        }
    }
}
