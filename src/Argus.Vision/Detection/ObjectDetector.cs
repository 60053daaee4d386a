namespace Argus.Vision.Detection;

/// <summary>
/// Synchronous detection of one frame: letterbox the crop, run the model, decode. Owns its model (and so its
/// ONNX Runtime session) and its buffers. Thread-safe: calls are serialised by a lock, so one detector shared by
/// several threads runs one frame at a time; cameras that share a model should use <see cref="DetectorService"/>.
/// </summary>
public sealed class ObjectDetector : IDisposable
{
    private readonly Lock _lock = new();
    private readonly DetectorModel _model;
    private readonly YoloDecoder _decoder;
    private readonly float[] _input;
    private readonly float[] _output;
    private bool _disposed;

    /// <exception cref="DetectorModelException">the model cannot be used.</exception>
    public ObjectDetector(DetectorOptions options)
    {
        _model = DetectorModel.Open(options);
        try
        {
            _decoder = YoloDecoder.For(_model, options);
        }
        catch
        {
            _model.Dispose();
            throw;
        }
        Letterbox = new Letterbox(_model.Preprocess);
        _input = new float[_model.InputLength];
        _output = new float[_model.OutputLength];
    }

    public DetectorModel Model => _model;
    public Letterbox Letterbox { get; }

    /// <summary>Detects objects in <paramref name="crop"/> (default: the whole frame) of an I420 frame.</summary>
    public IReadOnlyList<DetectedObject> Detect(ReadOnlySpan<byte> i420, int width, int height, PixelRect? crop = null)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var mapping = Letterbox.Run(i420, width, height, crop ?? PixelRect.Whole(width, height), _input);
            return RunLocked(_input, mapping);
        }
    }

    /// <summary>Detects on an input tensor already letterboxed for this model (as a camera hands to the service).</summary>
    public IReadOnlyList<DetectedObject> Detect(ReadOnlySpan<float> tensor, in LetterboxMapping mapping)
    {
        if (tensor.Length != _model.InputLength) throw new ArgumentException($"the model takes {_model.InputLength} floats; got {tensor.Length}.");
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            tensor.CopyTo(_input);
            return RunLocked(_input, mapping);
        }
    }

    private List<DetectedObject> RunLocked(float[] input, in LetterboxMapping mapping)
    {
        _model.Run(input, _output);
        var results = new List<DetectedObject>();
        _decoder.Decode(_output, mapping, results);
        return results;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _model.Dispose();
        }
    }
}
