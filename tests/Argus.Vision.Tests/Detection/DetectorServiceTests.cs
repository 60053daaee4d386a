using System.Collections.Concurrent;
using Argus.Vision.Detection;

namespace Argus.Vision.Tests.Detection;

public sealed class DetectorServiceTests
{
    private static void AssertSame(IReadOnlyList<DetectedObject> expected, IReadOnlyList<DetectedObject> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].ClassId, actual[i].ClassId);
            Assert.Equal(expected[i].Score, actual[i].Score, 5);
            Assert.Equal(expected[i].Box.X, actual[i].Box.X, 5);
            Assert.Equal(expected[i].Box.Y, actual[i].Box.Y, 5);
            Assert.Equal(expected[i].Box.Width, actual[i].Box.Width, 5);
            Assert.Equal(expected[i].Box.Height, actual[i].Box.Height, 5);
        }
    }

    [Fact]
    public void Many_cameras_submitting_into_a_tiny_queue_get_every_callback_once_and_the_same_results()
    {
        var (frame, w, h) = DetectionAssets.Dog;
        using var reference = new ObjectDetector(DetectionAssets.Options());
        using var service = new DetectorService(DetectionAssets.Options(), new DetectorServiceOptions { Capacity = 1 });
        // Two inputs: the whole frame and the dog's region; each camera alternates them.
        PixelRect[] crops = [PixelRect.Whole(w, h), new PixelRect(100, 200, 300, 370)];
        var tensors = new float[2][];
        var mappings = new LetterboxMapping[2];
        var expected = new IReadOnlyList<DetectedObject>[2];
        for (var i = 0; i < 2; i++)
        {
            tensors[i] = new float[service.InputLength];
            mappings[i] = service.Letterbox.Run(frame, w, h, crops[i], tensors[i]);
            expected[i] = reference.Detect(tensors[i], mappings[i]);
        }
        Assert.Contains(expected[0], d => d.Label == "car");

        const int cameras = 4, perCamera = 15;
        var calls = new int[cameras * perCamera];
        var results = new ConcurrentBag<(int Id, DetectionResult Result)>();
        using var done = new CountdownEvent(calls.Length);
        var threads = Enumerable.Range(0, cameras).Select(c => new Thread(() =>
        {
            for (var n = 0; n < perCamera; n++)
            {
                var id = c * perCamera + n;
                var input = service.RentInput();
                var which = id % 2;
                // As a camera does: letterbox on its own thread into the rented buffer.
                var mapping = service.Letterbox.Run(frame, w, h, crops[which], input);
                Assert.Equal(mappings[which], mapping);
                Assert.True(service.TrySubmit(new DetectionRequest($"cam{c}", input, mapping, r =>
                {
                    Interlocked.Increment(ref calls[id]);
                    results.Add((id, r));
                    done.Signal();
                }, id)));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.True(done.Wait(TimeSpan.FromSeconds(60)), "callbacks missing");

        Assert.All(calls, c => Assert.Equal(1, c));
        var stats = service.GetStats();
        Assert.Equal(calls.Length, stats.Submitted);
        Assert.True(stats.Dropped > 0, "a capacity of 1 under 4 busy cameras must drop");
        Assert.True(stats.Detected > 0);
        Assert.Equal(stats.Submitted, stats.Detected + stats.Dropped);
        Assert.True(stats.MeanInferenceMs > 0);
        for (var c = 0; c < cameras; c++)
        {
            var counters = stats.Cameras[$"cam{c}"];
            Assert.Equal(perCamera, counters.Submitted);
            Assert.Equal(perCamera, counters.Detected + counters.Dropped);
            Assert.Equal(counters.Dropped, results.Count(r => r.Result.CameraId == $"cam{c}" && r.Result.Status == DetectionStatus.Dropped));
        }
        foreach (var (id, r) in results)
        {
            Assert.Equal(id, r.State);
            if (r.Status == DetectionStatus.Detected) AssertSame(expected[id % 2], r.Detections);
            else Assert.Empty(r.Detections);
        }
    }

    [Fact]
    public void Dispose_completes_the_running_request_and_drops_the_waiting_ones()
    {
        using var engine = new FakeEngine(dynamicBatch: false);
        engine.Gate.Reset();
        var service = FakeEngine.Service(engine, capacity: 4);
        var statuses = new ConcurrentDictionary<int, DetectionStatus>();
        var calls = new int[5];
        for (var i = 0; i < 5; i++)
        {
            var id = i;
            Assert.True(service.TrySubmit(FakeEngine.Request(service, "cam", 0.1f * i, r => { Interlocked.Increment(ref calls[id]); statuses[id] = r.Status; }, id)));
            if (i == 0) Assert.True(engine.Started.Wait(TimeSpan.FromSeconds(10)));
        }
        // The worker is inside the first inference; four wait. Release it while disposing.
        var disposing = new Thread(service.Dispose);
        disposing.Start();
        Thread.Sleep(100);
        engine.Gate.Set();
        Assert.True(disposing.Join(TimeSpan.FromSeconds(10)));

        Assert.All(calls, c => Assert.Equal(1, c));
        Assert.Equal(DetectionStatus.Detected, statuses[0]);
        Assert.All(Enumerable.Range(1, 4), i => Assert.Equal(DetectionStatus.Dropped, statuses[i]));
        Assert.False(service.TrySubmit(FakeEngine.Request(service, "cam", 0, _ => Assert.Fail("called after dispose"))));
        Assert.Equal(new CameraDetectorCounters(5, 1, 4, 0), service.GetStats().Cameras["cam"]);
    }

    [Fact]
    public void Waiting_requests_run_as_one_batch_when_the_model_allows_it()
    {
        using var engine = new FakeEngine(dynamicBatch: true);
        engine.Gate.Reset();
        using var service = FakeEngine.Service(engine, capacity: 8, maxBatch: 4);
        var results = new ConcurrentDictionary<int, DetectionResult>();
        using var done = new CountdownEvent(6);
        for (var i = 0; i < 6; i++)
        {
            var id = i;
            service.TrySubmit(FakeEngine.Request(service, "cam", 0.1f * i, r => { results[id] = r; done.Signal(); }, id));
            if (i == 0) Assert.True(engine.Started.Wait(TimeSpan.FromSeconds(10)));
        }
        engine.Gate.Set();
        Assert.True(done.Wait(TimeSpan.FromSeconds(10)));

        // First alone (it was running), then 4 together, then the last one.
        Assert.Equal([1, 4, 1], engine.Batches);
        Assert.Equal(4, service.GetStats().BatchedRequests);
        // Each request got the box its own input encodes (x offset 0.1 * id of a 32 px cell).
        foreach (var (id, r) in results)
        {
            var d = Assert.Single(r.Detections);
            Assert.Equal((0.1 * id + 1) * 32 / 64.0, d.Box.CenterX, 4);
        }
    }

    /// <summary>
    /// A 64x64, 3-class YOLOX-shaped engine: each image gets one 32 px box at stride-32 cell (1, 1) whose x offset is the
    /// image's first input value. Gate holds the inference so tests can line requests up behind it.
    /// </summary>
    private sealed class FakeEngine(bool dynamicBatch) : IDetectorEngine
    {
        public readonly ManualResetEventSlim Gate = new(true);
        public readonly SemaphoreSlim Started = new(0);
        public readonly List<int> Batches = new();

        public int InputLength => 3 * 64 * 64;
        public int OutputLength => 84 * 8;
        public bool DynamicBatch => dynamicBatch;

        public void Run(Memory<float> input, Memory<float> output, int batch)
        {
            Started.Release();
            Gate.Wait();
            lock (Batches) Batches.Add(batch);
            var o = output.Span;
            o[..(batch * OutputLength)].Clear();
            for (var b = 0; b < batch; b++)
            {
                var row = o.Slice(b * OutputLength + 83 * 8, 8);
                row[0] = input.Span[b * InputLength];
                row[1] = 0;
                row[4] = 1;
                row[5] = 0.9f;
            }
        }

        public void Dispose() => Gate.Dispose();

        public static DetectorService Service(FakeEngine engine, int capacity, int maxBatch = 4) =>
            new(engine, new YoloDecoder(DetectorLayout.Yolox, 64, 64, 3, ["a", "b", "c"], 0.35f, 0.45f),
                new LetterboxSettings(64, 64, ChannelOrder.Bgr, PixelScale.Raw255, LetterboxPlacement.TopLeft, 114),
                new DetectorServiceOptions { Capacity = capacity, MaxBatch = maxBatch });

        public static DetectionRequest Request(DetectorService service, string camera, float value, Action<DetectionResult> done, object? state = null)
        {
            var input = service.RentInput();
            input[0] = value;
            return new DetectionRequest(camera, input, new LetterboxMapping(64, 64, PixelRect.Whole(64, 64), 1, 1, 0, 0), done, state);
        }
    }
}
