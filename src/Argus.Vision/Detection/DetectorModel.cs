using Argus.Core.Objects;
using Microsoft.ML.OnnxRuntime;

namespace Argus.Vision.Detection;

/// <summary>
/// An opened detector model: the ONNX Runtime session (CPU), its input and output, the layout worked out from the
/// output shape, and how to letterbox for it. Everything about a bad model fails here, at open, with a
/// <see cref="DetectorModelException"/> (one probe inference runs to see the real output shape; it also warms up).
/// <see cref="Run"/> is thread-safe (ONNX Runtime sessions are); the buffers passed in belong to the caller.
/// </summary>
public sealed class DetectorModel : IDetectorEngine
{
    private static readonly int[] Strides = [8, 16, 32];
    private const string Supported =
        "supported layouts: YOLOX [1, N, 5+C] and YOLOv8 [1, 4+C, N], where N is the anchor count for the input " +
        "(3549 at 416x416, 8400 at 640x640) and C the number of classes";

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private DetectorModel(InferenceSession session, DetectorOptions options)
    {
        _session = session;
        Path = options.ModelPath;
        if (session.InputMetadata.Count != 1)
            throw Refuse($"has {session.InputMetadata.Count} inputs; a detector has one image input");
        var (inputName, input) = session.InputMetadata.First();
        InputName = inputName;
        var dims = input.IsTensor ? input.Dimensions : [];
        if (input.ElementType != typeof(float) || dims.Length != 4 || dims[1] is not (3 or -1))
            throw Refuse($"input '{inputName}' is {Describe(input)}; a detector takes a float image tensor [N, 3, H, W]");
        DynamicBatch = dims[0] < 0;
        InputHeight = dims[2] > 0 ? dims[2] : options.DynamicInputSize;
        InputWidth = dims[3] > 0 ? dims[3] : options.DynamicInputSize;
        if (InputHeight % 32 != 0 || InputWidth % 32 != 0)
            throw Refuse($"input {InputHeight}x{InputWidth} is not a multiple of 32 (stride of a YOLO detector); {Supported}");
        if (session.OutputMetadata.Count < 1) throw Refuse("has no output");
        var (outputName, output) = session.OutputMetadata.First();
        OutputName = outputName;
        if (output.ElementType != typeof(float) || !output.IsTensor || output.Dimensions.Length != 3)
            throw Refuse($"output '{outputName}' is {Describe(output)}; {Supported}");
        _inputNames = [InputName];
        _outputNames = [OutputName];

        Anchors = Strides.Sum(s => (InputHeight / s) * (InputWidth / s));
        using var probe = ProbeInput(options);
        IDisposableReadOnlyCollection<OrtValue> results;
        try
        {
            results = _session.Run(RunOptionsInstance, _inputNames, [probe], _outputNames);
        }
        catch (OnnxRuntimeException e)
        {
            // Typically a model for something else whose input has dynamic sizes (an OCR recogniser, say).
            throw Refuse($"failed a test inference on a [1, 3, {InputHeight}, {InputWidth}] image (input '{inputName}' {Describe(input)}, " +
                $"output '{outputName}' {Describe(output)}); {Supported}. ONNX Runtime said: {Shorten(e.Message)}", e);
        }
        using var _ = results;
        var shape = results[0].GetTensorTypeAndShape().Shape;
        var data = results[0].GetTensorDataAsSpan<float>();
        var shown = $"[{string.Join(", ", shape)}]";
        if (shape.Length != 3 || shape[0] != 1)
            throw Refuse($"output shape is {shown}; {Supported}");
        if (shape[1] == Anchors && shape[2] >= 6 && options.Layout != DetectorLayout.Yolov8)
        {
            ClassCount = (int)shape[2] - 5;
            Layout = options.Layout switch
            {
                DetectorLayout.Auto => LooksDecoded(data) ? DetectorLayout.YoloxDecoded : DetectorLayout.Yolox,
                var l => l,
            };
        }
        else if (shape[2] == Anchors && shape[1] >= 5 && options.Layout is DetectorLayout.Auto or DetectorLayout.Yolov8)
        {
            ClassCount = (int)shape[1] - 4;
            Layout = DetectorLayout.Yolov8;
        }
        else
        {
            var asked = options.Layout == DetectorLayout.Auto ? "" : $" (layout {options.Layout} was asked for)";
            throw Refuse($"output shape {shown} for input {InputHeight}x{InputWidth} is not a detector layout Argus understands{asked}; {Supported}");
        }
        OutputLength = (int)(shape[1] * shape[2]);

        var yolox = Layout != DetectorLayout.Yolov8;
        Preprocess = new LetterboxSettings(
            InputWidth, InputHeight,
            options.ChannelOrder ?? (yolox ? ChannelOrder.Bgr : ChannelOrder.Rgb),
            options.PixelScale ?? (yolox ? PixelScale.Raw255 : PixelScale.Unit),
            options.Placement ?? (yolox ? LetterboxPlacement.TopLeft : LetterboxPlacement.Center),
            options.PadValue);
        Labels = ClassCount == ObjectClasses.Coco.Count
            ? ObjectClasses.Coco
            : Enumerable.Range(0, ClassCount).Select(i => $"class{i}").ToArray();
    }

    public string Path { get; }
    public string InputName { get; }
    public string OutputName { get; }
    public int InputWidth { get; }
    public int InputHeight { get; }
    /// <summary>Candidate boxes per image (N).</summary>
    public int Anchors { get; }
    public int ClassCount { get; }
    /// <summary>The resolved layout (never Auto).</summary>
    public DetectorLayout Layout { get; }
    /// <summary>The batch dimension is dynamic: several images can run as one inference.</summary>
    public bool DynamicBatch { get; }
    public LetterboxSettings Preprocess { get; }
    public IReadOnlyList<string> Labels { get; }
    public int InputLength => 3 * InputWidth * InputHeight;
    /// <summary>Floats of output per image.</summary>
    public int OutputLength { get; }

    /// <summary>Opens the model on CPU with the options' threads, all graph optimisations, sequential execution.</summary>
    /// <exception cref="DetectorModelException">missing file, not ONNX, unsupported input or output.</exception>
    /// <exception cref="ArgumentException">invalid options.</exception>
    public static DetectorModel Open(DetectorOptions options)
    {
        DetectorOptions.Validate(options);
        var path = options.ModelPath;
        if (!File.Exists(path)) throw new DetectorModelException($"detector model file '{path}' does not exist.");
        InferenceSession session;
        using (var so = CreateSessionOptions(options.IntraOpThreads))
        {
            try
            {
                session = new InferenceSession(path, so);
            }
            catch (OnnxRuntimeException e)
            {
                throw new DetectorModelException($"detector model '{path}' could not be loaded as an ONNX model (corrupt, truncated or not ONNX): {Shorten(e.Message)}", e);
            }
        }
        try
        {
            return new DetectorModel(session, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The session options every detector uses (the benchmark uses them too, for a like-for-like baseline). The intra-op
    /// threads do not spin after a run: cameras ask a few times a second, and spinning waiting for the next run burns
    /// the cores that the cameras' decoders and other inferences need.
    /// </summary>
    public static SessionOptions CreateSessionOptions(int intraOpThreads)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>
    /// Runs <paramref name="batch"/> images: <paramref name="input"/> holds batch * <see cref="InputLength"/> floats,
    /// <paramref name="output"/> receives batch * <see cref="OutputLength"/>.
    /// </summary>
    public void Run(Memory<float> input, Memory<float> output, int batch = 1)
    {
        if (batch < 1 || (batch > 1 && !DynamicBatch)) throw new ArgumentOutOfRangeException(nameof(batch), $"this model runs batch 1 only; got {batch}.");
        if (input.Length < batch * InputLength || output.Length < batch * OutputLength)
            throw new ArgumentException($"buffers too small for batch {batch}.");
        long[] outShape = Layout == DetectorLayout.Yolov8 ? [batch, 4 + ClassCount, Anchors] : [batch, Anchors, 5 + ClassCount];
        using var inValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input[..(batch * InputLength)], [batch, 3, InputHeight, InputWidth]);
        using var outValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output[..(batch * OutputLength)], outShape);
        _session.Run(RunOptionsInstance, _inputNames, [inValue], _outputNames, [outValue]);
    }

    private static readonly RunOptions RunOptionsInstance = new();

    public void Dispose() => _session.Dispose();

    private OrtValue ProbeInput(DetectorOptions options)
    {
        var data = new float[InputLength];
        var scaled = options.PixelScale == PixelScale.Unit ? options.PadValue / 255f : options.PadValue;
        Array.Fill(data, scaled);
        return OrtValue.CreateTensorValueFromMemory(data, [1, 3, InputHeight, InputWidth]);
    }

    /// <summary>
    /// Raw YOLOX rows hold grid offsets (about -1..2) in x and y; decoded rows hold pixel centres. The last row is the
    /// bottom-right cell of the stride-32 grid, whose decoded centre is near the input's far corner: a raw offset
    /// never comes near half the input size, so the test cannot confuse the two.
    /// </summary>
    private bool LooksDecoded(ReadOnlySpan<float> output)
    {
        var cols = 5 + ClassCount;
        var last = output.Slice((Anchors - 1) * cols, cols);
        return last[0] > InputWidth / 2f && last[1] > InputHeight / 2f;
    }

    private DetectorModelException Refuse(string why, Exception? inner = null) => new($"detector model '{Path}' {why}.", inner);

    private static string Describe(NodeMetadata m) =>
        m.IsTensor ? $"{(m.ElementType == typeof(float) ? "float" : m.ElementType.Name)} [{string.Join(", ", m.Dimensions.Select(d => d < 0 ? "?" : d.ToString()))}]" : m.OnnxValueType.ToString();

    private static string Shorten(string s)
    {
        s = FirstLine(s);
        return s.Length <= 300 ? s : s[..300] + "...";
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return (i < 0 ? s : s[..i]).Trim();
    }
}

/// <summary>What the service needs from a model; tests substitute a fake to exercise batching.</summary>
internal interface IDetectorEngine : IDisposable
{
    int InputLength { get; }
    int OutputLength { get; }
    bool DynamicBatch { get; }
    void Run(Memory<float> input, Memory<float> output, int batch);
}
