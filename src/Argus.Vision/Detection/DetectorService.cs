using System.Collections.Concurrent;
using System.Diagnostics;

namespace Argus.Vision.Detection;

public sealed record DetectorServiceOptions
{
    /// <summary>Requests waiting for inference; when full the oldest is dropped (a fresh frame beats a stale one).</summary>
    public int Capacity { get; init; } = 4;

    /// <summary>Most requests run as one inference when the model's batch dimension is dynamic.</summary>
    public int MaxBatch { get; init; } = 4;

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static void Validate(DetectorServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Capacity is < 1 or > 1024) throw new ArgumentException($"detector queue capacity must be 1..1024; got {options.Capacity}.");
        if (options.MaxBatch is < 1 or > 64) throw new ArgumentException($"detector max batch must be 1..64; got {options.MaxBatch}.");
    }
}

/// <summary>
/// One frame for the shared detector: the camera letterboxed it itself (<see cref="DetectorService.Letterbox"/>)
/// into <paramref name="Input"/>, a buffer from <see cref="DetectorService.RentInput"/>. <paramref name="State"/>
/// comes back in the result (frame time, sequence number).
/// </summary>
public sealed record DetectionRequest(string CameraId, float[] Input, LetterboxMapping Mapping, Action<DetectionResult> Completed, object? State = null);

public enum DetectionStatus
{
    Detected,
    /// <summary>Pushed out of a full queue by a newer request, or still waiting when the service stopped.</summary>
    Dropped,
    /// <summary>The inference threw (the model is loaded and probed at start, so this should not happen).</summary>
    Failed,
}

public sealed record DetectionResult(string CameraId, DetectionStatus Status, IReadOnlyList<DetectedObject> Detections, object? State);

public sealed record CameraDetectorCounters(long Submitted, long Detected, long Dropped, long Failed);

/// <summary>
/// Counters for status and metrics. <paramref name="Inferences"/> counts model runs (a batch is one run);
/// <paramref name="MeanInferenceMs"/> is the mean time of one run including decoding.
/// </summary>
public sealed record DetectorStats(
    long Submitted, long Detected, long Dropped, long Failed, long Inferences, long BatchedRequests, double MeanInferenceMs,
    IReadOnlyDictionary<string, CameraDetectorCounters> Cameras);

/// <summary>
/// The detector all cameras share: one model, one inference thread, a small bounded queue.
/// <list type="bullet">
/// <item>Cameras letterbox on their own threads (in parallel) into buffers rented here, and submit; the single worker
/// only runs the model and decodes, so inference never oversubscribes the cores with one session per camera.</item>
/// <item>When the queue is full the oldest waiting request is dropped, counted against its camera: under load every
/// camera keeps getting recent frames analysed instead of a backlog growing.</item>
/// <item>With a dynamic batch dimension, requests waiting together run as one batch (up to MaxBatch).</item>
/// </list>
/// Every accepted request's callback is called exactly once: on the worker thread with Detected or Failed, on the
/// submitting thread (of whichever camera pushed it out) with Dropped, or on the disposing thread with Dropped.
/// Callbacks must be short and must not block; exceptions they throw are swallowed. All members are thread-safe.
/// </summary>
public sealed class DetectorService : IDisposable
{
    private readonly IDetectorEngine _engine;
    private readonly YoloDecoder _decoder;
    private readonly int _capacity;
    private readonly int _maxBatch;
    private readonly Queue<DetectionRequest> _queue = new();
    // An object, not a Lock: the worker waits on it with Monitor.Wait.
    private readonly object _queueLock = new();
    private readonly Stack<float[]> _pool = new();
    private readonly Lock _poolLock = new();
    private readonly int _poolLimit;
    private readonly ConcurrentDictionary<string, Counters> _cameras = new();
    private readonly Thread _worker;
    private readonly float[] _batchInput;
    private readonly float[] _output;
    private readonly DetectionRequest[] _taken;
    private bool _stopping;
    private long _inferences, _batched, _inferenceTicks;

    /// <exception cref="DetectorModelException">the model cannot be used (raised here, never on the worker).</exception>
    public DetectorService(DetectorOptions options, DetectorServiceOptions? service = null)
        : this(OpenModel(options, out var decoder), decoder, null, service ?? new DetectorServiceOptions())
    {
    }

    /// <param name="preprocess">for a test engine; a real model brings its own.</param>
    internal DetectorService(IDetectorEngine engine, YoloDecoder decoder, LetterboxSettings? preprocess, DetectorServiceOptions service)
    {
        try
        {
            DetectorServiceOptions.Validate(service);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
        _engine = engine;
        _decoder = decoder;
        Model = engine as DetectorModel;
        Letterbox = new Letterbox(Model?.Preprocess ?? preprocess ?? throw new ArgumentNullException(nameof(preprocess)));
        _capacity = service.Capacity;
        _maxBatch = engine.DynamicBatch ? service.MaxBatch : 1;
        _poolLimit = _capacity + _maxBatch + 8;
        _batchInput = _maxBatch > 1 ? new float[_maxBatch * engine.InputLength] : [];
        _output = new float[_maxBatch * engine.OutputLength];
        _taken = new DetectionRequest[_maxBatch];
        _worker = new Thread(Work) { IsBackground = true, Name = "argus-detector" };
        _worker.Start();
    }

    /// <summary>The model (null only with a test engine).</summary>
    public DetectorModel? Model { get; }

    /// <summary>The letterbox for this model: cameras call it on their own thread before submitting.</summary>
    public Letterbox Letterbox { get; }

    public int InputLength => _engine.InputLength;
    public int MaxBatch => _maxBatch;

    /// <summary>A buffer for one letterboxed input; it comes back to the pool when its request completes.</summary>
    public float[] RentInput()
    {
        lock (_poolLock) if (_pool.Count > 0) return _pool.Pop();
        return new float[_engine.InputLength];
    }

    /// <summary>Gives back a rented buffer that was not submitted (or whose submission was refused).</summary>
    public void ReturnInput(float[] buffer)
    {
        if (buffer.Length != _engine.InputLength) return;
        lock (_poolLock) if (_pool.Count < _poolLimit) _pool.Push(buffer);
    }

    /// <summary>
    /// Queues a request; its buffer then belongs to the service. False only after <see cref="Dispose"/>: the request
    /// was not taken, its callback is not called and the buffer stays with the caller.
    /// </summary>
    /// <exception cref="ArgumentException">a buffer of the wrong size.</exception>
    public bool TrySubmit(DetectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Input.Length != _engine.InputLength)
            throw new ArgumentException($"the detector input is {_engine.InputLength} floats; got {request.Input.Length}.");
        DetectionRequest? dropped = null;
        lock (_queueLock)
        {
            if (_stopping) return false;
            if (_queue.Count >= _capacity) dropped = _queue.Dequeue();
            _queue.Enqueue(request);
            Interlocked.Increment(ref CountersFor(request.CameraId).Submitted);
            Monitor.Pulse(_queueLock);
        }
        if (dropped is not null) Complete(dropped, DetectionStatus.Dropped, []);
        return true;
    }

    public DetectorStats GetStats()
    {
        var cameras = _cameras.ToDictionary(
            kv => kv.Key,
            kv => new CameraDetectorCounters(Volatile.Read(ref kv.Value.Submitted), Volatile.Read(ref kv.Value.Detected),
                Volatile.Read(ref kv.Value.Dropped), Volatile.Read(ref kv.Value.Failed)));
        var runs = Interlocked.Read(ref _inferences);
        var ms = runs == 0 ? 0 : Interlocked.Read(ref _inferenceTicks) * 1000.0 / Stopwatch.Frequency / runs;
        return new DetectorStats(
            cameras.Values.Sum(c => c.Submitted), cameras.Values.Sum(c => c.Detected), cameras.Values.Sum(c => c.Dropped),
            cameras.Values.Sum(c => c.Failed), runs, Interlocked.Read(ref _batched), ms, cameras);
    }

    /// <summary>Stops the worker after the inference in progress; requests still waiting complete as Dropped.</summary>
    public void Dispose()
    {
        lock (_queueLock)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_queueLock);
        }
        _worker.Join();
        DetectionRequest[] pending;
        lock (_queueLock)
        {
            pending = _queue.ToArray();
            _queue.Clear();
        }
        foreach (var r in pending) Complete(r, DetectionStatus.Dropped, []);
        _engine.Dispose();
    }

    private void Work()
    {
        while (true)
        {
            int n;
            lock (_queueLock)
            {
                while (_queue.Count == 0 && !_stopping) Monitor.Wait(_queueLock);
                if (_stopping) return;
                n = Math.Min(_queue.Count, _maxBatch);
                for (var i = 0; i < n; i++) _taken[i] = _queue.Dequeue();
            }
            RunBatch(n);
        }
    }

    private void RunBatch(int n)
    {
        var started = Stopwatch.GetTimestamp();
        var results = new List<DetectedObject>[n];
        try
        {
            Memory<float> input;
            if (n == 1)
            {
                input = _taken[0].Input;
            }
            else
            {
                for (var i = 0; i < n; i++) _taken[i].Input.CopyTo(_batchInput, i * _engine.InputLength);
                input = _batchInput;
            }
            _engine.Run(input, _output, n);
            for (var i = 0; i < n; i++)
            {
                results[i] = new List<DetectedObject>();
                _decoder.Decode(_output.AsSpan(i * _engine.OutputLength, _engine.OutputLength), _taken[i].Mapping, results[i]);
            }
        }
        catch (Exception)
        {
            for (var i = 0; i < n; i++) Complete(Take(i), DetectionStatus.Failed, []);
            return;
        }
        Interlocked.Add(ref _inferenceTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref _inferences);
        if (n > 1) Interlocked.Add(ref _batched, n);
        for (var i = 0; i < n; i++) Complete(Take(i), DetectionStatus.Detected, results[i]);
    }

    private DetectionRequest Take(int i)
    {
        var r = _taken[i];
        _taken[i] = null!;
        return r;
    }

    private void Complete(DetectionRequest request, DetectionStatus status, IReadOnlyList<DetectedObject> detections)
    {
        ReturnInput(request.Input);
        var counters = CountersFor(request.CameraId);
        switch (status)
        {
            case DetectionStatus.Detected: Interlocked.Increment(ref counters.Detected); break;
            case DetectionStatus.Dropped: Interlocked.Increment(ref counters.Dropped); break;
            default: Interlocked.Increment(ref counters.Failed); break;
        }
        try
        {
            request.Completed(new DetectionResult(request.CameraId, status, detections, request.State));
        }
        catch (Exception)
        {
            // A camera's callback must not take the shared detector down.
        }
    }

    /// <summary>One camera's counters (zero before its first request).</summary>
    public CameraDetectorCounters CountersOf(string camera) => _cameras.TryGetValue(camera, out var c)
        ? new CameraDetectorCounters(Volatile.Read(ref c.Submitted), Volatile.Read(ref c.Detected), Volatile.Read(ref c.Dropped), Volatile.Read(ref c.Failed))
        : new CameraDetectorCounters(0, 0, 0, 0);

    private Counters CountersFor(string camera) => _cameras.GetOrAdd(camera, static _ => new Counters());

    private static DetectorModel OpenModel(DetectorOptions options, out YoloDecoder decoder)
    {
        var model = DetectorModel.Open(options);
        try
        {
            decoder = YoloDecoder.For(model, options);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private sealed class Counters
    {
        public long Submitted, Detected, Dropped, Failed;
    }
}
