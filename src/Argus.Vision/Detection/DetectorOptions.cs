namespace Argus.Vision.Detection;

/// <summary>How the model's output is laid out.</summary>
public enum DetectorLayout
{
    /// <summary>Work it out from the output shape (and, for YOLOX, from one probe inference).</summary>
    Auto,
    /// <summary>YOLOX [1, N, 5+C] raw grid outputs (dx, dy, log w, log h, objectness, class probabilities), as the official export.</summary>
    Yolox,
    /// <summary>YOLOX [1, N, 5+C] exported with decoding in the graph (cx, cy, w, h already in input pixels).</summary>
    YoloxDecoded,
    /// <summary>Ultralytics YOLOv8 [1, 4+C, N] (cx, cy, w, h in input pixels, class scores, no objectness).</summary>
    Yolov8,
}

public enum ChannelOrder { Bgr, Rgb }

public enum PixelScale
{
    /// <summary>0..255, no normalisation (YOLOX).</summary>
    Raw255,
    /// <summary>0..1 (ultralytics).</summary>
    Unit,
}

public enum LetterboxPlacement { TopLeft, Center }

/// <summary>
/// What to load and how to feed it. Preprocessing fields left null take the layout's defaults: YOLOX = BGR, 0..255,
/// top-left; YOLOv8 = RGB, 0..1, centred; both pad with 114.
/// </summary>
public sealed record DetectorOptions
{
    public required string ModelPath { get; init; }
    public DetectorLayout Layout { get; init; } = DetectorLayout.Auto;
    public ChannelOrder? ChannelOrder { get; init; }
    public PixelScale? PixelScale { get; init; }
    public LetterboxPlacement? Placement { get; init; }
    public byte PadValue { get; init; } = 114;

    /// <summary>Input size (square) used only when the model's input height/width are dynamic; multiple of 32.</summary>
    public int DynamicInputSize { get; init; } = 640;

    public float ScoreThreshold { get; init; } = 0.35f;
    public float NmsIoU { get; init; } = 0.45f;

    /// <summary>ONNX Runtime intra-op threads; 2 leaves the rest of a small box to decoding and recording.</summary>
    public int IntraOpThreads { get; init; } = 2;

    /// <summary>Class names to report (e.g. <see cref="Argus.Core.Objects.ObjectClasses.Default"/>); null = all.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static void Validate(DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ModelPath)) throw new ArgumentException("a detector model path is required.");
        if (!(options.ScoreThreshold is > 0 and < 1))
            throw new ArgumentException($"detector score threshold must be between 0 and 1 (exclusive); got {options.ScoreThreshold}.");
        if (!(options.NmsIoU is > 0 and <= 1))
            throw new ArgumentException($"detector NMS IoU must be above 0 and at most 1; got {options.NmsIoU}.");
        if (options.IntraOpThreads is < 1 or > 64)
            throw new ArgumentException($"detector threads must be between 1 and 64; got {options.IntraOpThreads}.");
        if (options.DynamicInputSize is < 32 or > 4096 || options.DynamicInputSize % 32 != 0)
            throw new ArgumentException($"detector input size must be a multiple of 32 between 32 and 4096; got {options.DynamicInputSize}.");
    }
}

/// <summary>A model that cannot be used: missing, not ONNX, or not a detector layout Argus understands.</summary>
public sealed class DetectorModelException(string message, Exception? inner = null) : Exception(message, inner);
