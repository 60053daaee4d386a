namespace Argus.Vision.Detection;

/// <summary>
/// Model output for one image to detections in normalised frame coordinates: per-anchor best class, score
/// threshold, class filter, box mapped back through the letterbox, per-class NMS.
/// <list type="bullet">
/// <item>YOLOX raw [N, 5+C]: cx = (dx + gx) * s, cy = (dy + gy) * s, w = exp(lw) * s, h = exp(lh) * s over the
/// stride 8, 16, 32 grids (row-major per level); score = objectness * class probability.</item>
/// <item>YOLOX decoded [N, 5+C]: the same with cx, cy, w, h already in input pixels.</item>
/// <item>YOLOv8 [4+C, N]: cx, cy, w, h in input pixels then class scores, channel-major; no objectness.</item>
/// </list>
/// Not thread-safe (reuses its scratch buffers): one per inference thread.
/// </summary>
public sealed class YoloDecoder
{
    /// <summary>More candidates than this above threshold means noise; keep the best for NMS.</summary>
    private const int MaxCandidates = 1000;

    private readonly DetectorLayout _layout;
    private readonly int _classes;
    private readonly int _anchors;
    private readonly float _threshold;
    private readonly float _iou;
    private readonly bool[]? _allowed;
    private readonly IReadOnlyList<string> _labels;
    private readonly float[] _gridX, _gridY, _stride;
    private readonly float[] _best;
    private readonly int[] _bestClass;
    private readonly List<DetectedObject> _candidates = new();

    /// <param name="classFilter">class ids to report; null = all.</param>
    public YoloDecoder(DetectorLayout layout, int inputWidth, int inputHeight, int classCount, IReadOnlyList<string> labels,
        float scoreThreshold, float nmsIoU, IReadOnlyCollection<int>? classFilter = null)
    {
        if (layout == DetectorLayout.Auto) throw new ArgumentException("the decoder needs a resolved layout.");
        _layout = layout;
        _classes = classCount;
        _labels = labels;
        _threshold = scoreThreshold;
        _iou = nmsIoU;
        int[] strides = [8, 16, 32];
        _anchors = strides.Sum(s => (inputWidth / s) * (inputHeight / s));
        _gridX = new float[_anchors];
        _gridY = new float[_anchors];
        _stride = new float[_anchors];
        var i = 0;
        foreach (var s in strides)
            for (var gy = 0; gy < inputHeight / s; gy++)
                for (var gx = 0; gx < inputWidth / s; gx++, i++)
                    (_gridX[i], _gridY[i], _stride[i]) = (gx, gy, s);
        _best = new float[_anchors];
        _bestClass = new int[_anchors];
        if (classFilter is not null)
        {
            _allowed = new bool[classCount];
            foreach (var c in classFilter) if (c >= 0 && c < classCount) _allowed[c] = true;
        }
    }

    public static YoloDecoder For(DetectorModel model, DetectorOptions options) =>
        new(model.Layout, model.InputWidth, model.InputHeight, model.ClassCount, model.Labels,
            options.ScoreThreshold, options.NmsIoU, ClassIds(model.Labels, options.Classes));

    /// <summary>Class names to ids in the model's label list.</summary>
    /// <exception cref="ArgumentException">naming a class the model does not have.</exception>
    public static IReadOnlyCollection<int>? ClassIds(IReadOnlyList<string> labels, IReadOnlyList<string>? names)
    {
        if (names is null) return null;
        var ids = new HashSet<int>();
        foreach (var n in names)
        {
            var id = -1;
            for (var i = 0; i < labels.Count && id < 0; i++) if (string.Equals(labels[i], n?.Trim(), StringComparison.OrdinalIgnoreCase)) id = i;
            if (id < 0) throw new ArgumentException($"the detector model has no class '{n}'.");
            ids.Add(id);
        }
        return ids;
    }

    public int OutputLength => _anchors * (_layout == DetectorLayout.Yolov8 ? 4 + _classes : 5 + _classes);

    /// <summary>Decodes one image's output into <paramref name="results"/> (cleared first).</summary>
    public void Decode(ReadOnlySpan<float> output, in LetterboxMapping mapping, List<DetectedObject> results)
    {
        if (output.Length < OutputLength) throw new ArgumentException($"output has {output.Length} floats; expected {OutputLength}.");
        results.Clear();
        _candidates.Clear();
        if (_layout == DetectorLayout.Yolov8) DecodeV8(output, mapping);
        else DecodeYolox(output, mapping);
        if (_candidates.Count > MaxCandidates)
        {
            _candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
            _candidates.RemoveRange(MaxCandidates, _candidates.Count - MaxCandidates);
        }
        Nms.PerClass(_candidates, _iou);
        results.AddRange(_candidates);
    }

    private void DecodeYolox(ReadOnlySpan<float> output, in LetterboxMapping mapping)
    {
        var cols = 5 + _classes;
        var raw = _layout == DetectorLayout.Yolox;
        for (var i = 0; i < _anchors; i++)
        {
            var row = output.Slice(i * cols, cols);
            var obj = row[4];
            // Class probabilities are at most 1, so a low objectness already rules the row out.
            if (obj < _threshold) continue;
            var (cls, p) = BestClass(row[5..]);
            // Filter after choosing the class: a dog must not come back as its runner-up class because dogs are filtered.
            if (cls < 0 || !Allowed(cls)) continue;
            var score = obj * p;
            if (score < _threshold) continue;
            float cx = row[0], cy = row[1], w = row[2], h = row[3];
            if (raw)
            {
                var s = _stride[i];
                cx = (cx + _gridX[i]) * s;
                cy = (cy + _gridY[i]) * s;
                w = MathF.Exp(w) * s;
                h = MathF.Exp(h) * s;
            }
            Add(cls, score, cx, cy, w, h, mapping);
        }
    }

    private void DecodeV8(ReadOnlySpan<float> output, in LetterboxMapping mapping)
    {
        var n = _anchors;
        // Channel-major: walk each class plane contiguously and keep the best per anchor (cache-friendly transpose).
        Array.Fill(_best, 0f);
        Array.Fill(_bestClass, -1);
        for (var c = 0; c < _classes; c++)
        {
            var plane = output.Slice((4 + c) * n, n);
            for (var i = 0; i < n; i++)
                if (plane[i] > _best[i]) { _best[i] = plane[i]; _bestClass[i] = c; }
        }
        for (var i = 0; i < n; i++)
        {
            if (_bestClass[i] < 0 || _best[i] < _threshold || !Allowed(_bestClass[i])) continue;
            Add(_bestClass[i], _best[i], output[i], output[n + i], output[2 * n + i], output[3 * n + i], mapping);
        }
    }

    private bool Allowed(int cls) => _allowed is null || _allowed[cls];

    private static (int Class, float Score) BestClass(ReadOnlySpan<float> scores)
    {
        var best = -1;
        var p = 0f;
        for (var c = 0; c < scores.Length; c++)
        {
            if (scores[c] <= p) continue;
            p = scores[c];
            best = c;
        }
        return (best, p);
    }

    private void Add(int cls, float score, float cx, float cy, float w, float h, in LetterboxMapping mapping)
    {
        if (!(w > 0 && h > 0)) return;
        var box = mapping.ToFrame(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
        if (box.Area <= 0) return;
        _candidates.Add(new DetectedObject(cls, _labels[cls], score, box));
    }
}
