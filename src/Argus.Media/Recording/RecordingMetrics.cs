using System.Collections.Concurrent;

namespace Argus.Media.Recording;

/// <summary>
/// Recording counters per camera, kept as plain numbers so Media needs no metrics library;
/// the server copies them into Prometheus series at scrape time.
/// </summary>
public sealed class RecordingMetrics
{
    public sealed class Camera
    {
        public long SegmentsWritten;
        public long SegmentsInvalid;
        public long BytesWritten;
        public long Restarts;
        public long LatencyCount;
        public double LatencySum;
        public double LatencyLast;
    }

    private readonly ConcurrentDictionary<string, Camera> _cameras = new();
    private long _retentionDeleted;

    public Camera For(string cameraId) => _cameras.GetOrAdd(cameraId, _ => new Camera());

    public IReadOnlyDictionary<string, Camera> Cameras => _cameras;

    public long RetentionDeleted => Interlocked.Read(ref _retentionDeleted);

    public void SegmentWritten(string cameraId, long bytes, TimeSpan latency)
    {
        var c = For(cameraId);
        Interlocked.Increment(ref c.SegmentsWritten);
        Interlocked.Add(ref c.BytesWritten, bytes);
        if (latency < TimeSpan.Zero) latency = TimeSpan.Zero;
        lock (c)
        {
            c.LatencyCount++;
            c.LatencySum += latency.TotalSeconds;
            c.LatencyLast = latency.TotalSeconds;
        }
    }

    public void SegmentInvalid(string cameraId) => Interlocked.Increment(ref For(cameraId).SegmentsInvalid);
    public void Restarted(string cameraId) => Interlocked.Increment(ref For(cameraId).Restarts);
    public void Deleted(int segments) => Interlocked.Add(ref _retentionDeleted, segments);
}
