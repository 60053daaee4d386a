namespace Argus.Vision.Tamper;

public enum TamperKind { None, Covered, Defocused, TurnedAway }

public enum TamperTransition { None, Started, Ended }

/// <summary>
/// One frame's verdict. <paramref name="Transition"/> and <paramref name="Kind"/> say what started or ended at this
/// frame (None most of the time); <paramref name="Active"/> is the state after it, <paramref name="Since"/> when the
/// active (or just ended) tamper began.
/// </summary>
public readonly record struct TamperResult(TamperTransition Transition, TamperKind Kind, TamperKind Active, DateTimeOffset Time, DateTimeOffset? Since);

/// <summary>
/// Camera trouble from the picture alone, against a slowly learned reference of the view (its image, contrast and
/// sharpness): covered (almost uniform), defocused (sharpness far below the reference's), turned away (most of the
/// view differs from the reference beyond what a lighting change explains, and the new view is steady). A condition
/// must hold for <see cref="Hold"/> to start and be gone for <see cref="Hold"/> to end, so people or traffic passing,
/// auto exposure and flicker do not trip it. Not thread-safe; no allocation per frame.
/// </summary>
public sealed class TamperDetector
{
    private const int GridTarget = 160;
    private const double WarmUpSeconds = 3;
    private const double ReferenceSeconds = 60;
    private const float DifferentLevel = 25;
    private const double DifferentFraction = 0.6;
    private const double UnsteadyFraction = 0.15;
    private const double CoveredContrast = 0.25;
    private const float CoveredMinStd = 4;
    private const double DefocusedSharpness = 0.45;

    private readonly GrayGrid _grid;
    private readonly float[] _reference;
    private readonly float[] _previous;
    private double _refStd;
    private double _refSharpness;
    private DateTimeOffset? _firstFrame;
    private DateTimeOffset _lastTime;
    private TamperKind _active;
    private DateTimeOffset? _activeSince;
    private TamperKind _candidate;
    private DateTimeOffset _candidateSince;

    public TamperDetector(int width, int height)
    {
        _grid = new GrayGrid(width, height, GridTarget);
        _reference = new float[_grid.Width * _grid.Height];
        _previous = new float[_reference.Length];
    }

    /// <summary>How long a condition must last to start a tamper, and be gone to end it.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>After this long turned away the new view is accepted as the reference (the camera was re-aimed on purpose).</summary>
    public TimeSpan AcceptNewViewAfter { get; init; } = TimeSpan.FromMinutes(10);

    public TamperKind Active => _active;

    // Last frame's measures, for tests and tuning.
    internal double Std { get; private set; }
    internal double Sharpness { get; private set; }
    internal double Different { get; private set; }
    internal double Unsteady { get; private set; }

    public TamperResult Process(ReadOnlySpan<byte> gray, DateTimeOffset time)
    {
        _grid.Load(gray);
        var cur = _grid.Cells;
        Measure(cur);
        if (_firstFrame is null)
        {
            _firstFrame = time;
            _lastTime = time;
            cur.CopyTo(_reference, 0);
            cur.CopyTo(_previous, 0);
            _refStd = Std;
            _refSharpness = Sharpness;
            return new TamperResult(TamperTransition.None, TamperKind.None, TamperKind.None, time, null);
        }
        var dt = Math.Clamp((time - _lastTime).TotalSeconds, 0.01, 5);
        _lastTime = time;
        var warm = time - _firstFrame.Value >= TimeSpan.FromSeconds(WarmUpSeconds);
        (Different, Unsteady) = Compare(cur);
        cur.CopyTo(_previous, 0);

        var condition = warm ? Condition() : TamperKind.None;
        if (condition == TamperKind.None && _active == TamperKind.None)
        {
            // Only a quiet, normal view teaches the reference; warm-up learns fast.
            var a = (float)(1 - Math.Exp(-dt / (warm ? ReferenceSeconds : 0.5)));
            for (var i = 0; i < cur.Length; i++) _reference[i] += a * (cur[i] - _reference[i]);
            _refStd += a * (Std - _refStd);
            _refSharpness += a * (Sharpness - _refSharpness);
        }
        return Step(condition, time);
    }

    private TamperResult Step(TamperKind condition, DateTimeOffset time)
    {
        if (condition != _candidate)
        {
            _candidate = condition;
            _candidateSince = time;
        }
        var held = time - _candidateSince >= Hold;
        if (_active == TamperKind.TurnedAway && time - _activeSince >= AcceptNewViewAfter)
        {
            _grid.Cells.CopyTo(_reference, 0);
            _refStd = Std;
            _refSharpness = Sharpness;
            return End(time);
        }
        if (_active != TamperKind.None && _candidate != _active && held) return End(time);
        if (_active == TamperKind.None && _candidate != TamperKind.None && held)
        {
            _active = _candidate;
            _activeSince = _candidateSince;
            return new TamperResult(TamperTransition.Started, _active, _active, time, _activeSince);
        }
        return new TamperResult(TamperTransition.None, TamperKind.None, _active, time, _activeSince);
    }

    private TamperResult End(DateTimeOffset time)
    {
        var ended = _active;
        var since = _activeSince;
        _active = TamperKind.None;
        _activeSince = null;
        return new TamperResult(TamperTransition.Ended, ended, TamperKind.None, time, since);
    }

    private TamperKind Condition()
    {
        if (Std < Math.Max(CoveredMinStd, CoveredContrast * _refStd)) return TamperKind.Covered;
        // Turned away: the view is another one, and it holds still (a passing truck does not). Before defocus: a new
        // view may simply have less detail, while a blurred view still matches the old one at this grid's scale.
        if (Different > DifferentFraction && Unsteady < UnsteadyFraction) return TamperKind.TurnedAway;
        // Once turned away, a moving new view (panning, traffic) is still not the old view.
        if (_active == TamperKind.TurnedAway && Different > DifferentFraction / 2) return TamperKind.TurnedAway;
        if (Sharpness < DefocusedSharpness * _refSharpness) return TamperKind.Defocused;
        return TamperKind.None;
    }

    /// <summary>Contrast (std of the cells) and sharpness (mean gradient per unit of contrast, so lighting cancels).</summary>
    private void Measure(float[] cur)
    {
        double sum = 0, sum2 = 0, grad = 0;
        int w = _grid.Width, h = _grid.Height;
        for (var y = 0; y < h; y++)
        {
            var row = y * w;
            for (var x = 0; x < w; x++)
            {
                var v = cur[row + x];
                sum += v;
                sum2 += v * v;
                if (x + 1 < w) grad += Math.Abs(cur[row + x + 1] - v);
                if (y + 1 < h) grad += Math.Abs(cur[row + w + x] - v);
            }
        }
        var n = (double)cur.Length;
        var mean = sum / n;
        Std = Math.Sqrt(Math.Max(0, (sum2 / n) - (mean * mean)));
        Sharpness = grad / n / (Std + 1);
    }

    /// <summary>Fractions of cells that differ from the reference after a lighting fit, and from the previous frame.</summary>
    private (double Different, double Unsteady) Compare(float[] cur)
    {
        var (gain, offset) = LightingFit.Fit(_reference, cur, default, default, float.PositiveInfinity);
        int different = 0, unsteady = 0;
        for (var i = 0; i < cur.Length; i++)
        {
            if (Math.Abs(cur[i] - ((gain * _reference[i]) + offset)) > DifferentLevel) different++;
            if (Math.Abs(cur[i] - _previous[i]) > DifferentLevel) unsteady++;
        }
        return ((double)different / cur.Length, (double)unsteady / cur.Length);
    }
}
