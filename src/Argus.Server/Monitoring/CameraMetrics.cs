using Argus.Core.Cameras;
using Argus.Core.Recording;
using Argus.Media.Recording;
using Argus.Media.Storage;
using Prometheus;

namespace Argus.Server.Monitoring;

/// <summary>Per-camera health, recording and live counters, and disk gauges, refreshed just before each Prometheus scrape.</summary>
public static class CameraMetrics
{
    private static readonly Gauge Fps = Metrics.CreateGauge("argus_camera_fps", "Measured frames per second", "camera");
    private static readonly Gauge Bitrate = Metrics.CreateGauge("argus_camera_bitrate_kbps", "Measured bitrate (kb/s)", "camera");
    private static readonly Gauge Online = Metrics.CreateGauge("argus_camera_online", "1 when frames arrive", "camera");
    private static readonly Counter Restarts = Metrics.CreateCounter("argus_camera_restarts_total", "ffmpeg restarts", "camera");
    private static readonly Counter Segments = Metrics.CreateCounter("argus_segments_written_total", "Segments validated and indexed", "camera");
    private static readonly Counter Invalid = Metrics.CreateCounter("argus_segments_invalid_total", "Segments discarded as unplayable", "camera");
    private static readonly Counter Bytes = Metrics.CreateCounter("argus_recorded_bytes_total", "Bytes of recordings indexed", "camera");
    private static readonly Counter LatencySum = Metrics.CreateCounter("argus_segment_write_latency_seconds_sum", "From segment end to indexed, summed", "camera");
    private static readonly Counter LatencyCount = Metrics.CreateCounter("argus_segment_write_latency_seconds_count", "Segments timed", "camera");
    private static readonly Gauge LatencyLast = Metrics.CreateGauge("argus_segment_write_latency_seconds_last", "Latency of the latest segment", "camera");
    private static readonly Counter RetentionDeleted = Metrics.CreateCounter("argus_retention_deleted_segments_total", "Segments deleted by retention");
    private static readonly Gauge DiskFree = Metrics.CreateGauge("argus_disk_free_bytes", "Free bytes on the recordings volume");
    private static readonly Gauge DiskTotal = Metrics.CreateGauge("argus_disk_total_bytes", "Size of the recordings volume");
    private static readonly Gauge LiveViewers = Metrics.CreateGauge("argus_live_viewers", "Live viewers connected", "camera");
    private static readonly Counter LiveFragments = Metrics.CreateCounter("argus_live_fragments_total", "Live fragments read from ffmpeg", "camera");
    private static readonly Counter LiveDrops = Metrics.CreateCounter("argus_live_dropped_fragments_total", "Live fragments skipped for viewers that fell behind", "camera");
    private static readonly Counter DetectorSubmitted = Metrics.CreateCounter("argus_detector_requests_total", "Frames submitted to the object detector", "camera");
    private static readonly Counter DetectorDetected = Metrics.CreateCounter("argus_detector_detected_total", "Frames the object detector ran on", "camera");
    private static readonly Counter DetectorDropped = Metrics.CreateCounter("argus_detector_dropped_total", "Frames dropped by the detector's full queue (oldest first)", "camera");
    private static readonly Gauge DetectorMs = Metrics.CreateGauge("argus_detector_inference_ms", "Mean inference time per run of the object detector");
    private static readonly Gauge Tracks = Metrics.CreateGauge("argus_tracked_objects", "Objects tracked now", "camera");
    private static readonly Gauge RecordingsBytes = Metrics.CreateGauge("argus_recordings_bytes", "Bytes of indexed recordings");

    public static void Register(IServiceProvider services)
    {
        var recorders = services.GetRequiredService<RecorderHost>();
        var stats = services.GetRequiredService<RecordingMetrics>();
        var disk = services.GetRequiredService<IDiskSpace>();
        var layout = services.GetRequiredService<RecordingLayout>();
        var index = services.GetRequiredService<ISegmentIndex>();
        var detector = services.GetRequiredService<Argus.Cluster.Analysis.DetectorHost>();
        var analysis = services.GetRequiredService<Argus.Cluster.Analysis.AnalysisHost>();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(async ct =>
        {
            foreach (var id in recorders.Recording)
            {
                if (recorders.Health(id) is not { } h) continue;
                Fps.WithLabels(id).Set(h.Fps);
                Bitrate.WithLabels(id).Set(h.BitrateKbps);
                Online.WithLabels(id).Set(h.Status == CameraStatus.Online ? 1 : 0);
            }
            foreach (var (id, c) in stats.Cameras)
            {
                Restarts.WithLabels(id).IncTo(Interlocked.Read(ref c.Restarts));
                Segments.WithLabels(id).IncTo(Interlocked.Read(ref c.SegmentsWritten));
                Invalid.WithLabels(id).IncTo(Interlocked.Read(ref c.SegmentsInvalid));
                Bytes.WithLabels(id).IncTo(Interlocked.Read(ref c.BytesWritten));
                lock (c)
                {
                    LatencySum.WithLabels(id).IncTo(c.LatencySum);
                    LatencyCount.WithLabels(id).IncTo(c.LatencyCount);
                    LatencyLast.WithLabels(id).Set(c.LatencyLast);
                }
            }
            foreach (var live in recorders.LiveChannels)
            {
                LiveViewers.WithLabels(live.CameraId).Set(live.Viewers);
                LiveFragments.WithLabels(live.CameraId).IncTo(live.Fragments);
                LiveDrops.WithLabels(live.CameraId).IncTo(live.Drops);
            }
            if (detector.Service is { } d)
            {
                var s = d.GetStats();
                foreach (var (id, c) in s.Cameras)
                {
                    DetectorSubmitted.WithLabels(id).IncTo(c.Submitted);
                    DetectorDetected.WithLabels(id).IncTo(c.Detected);
                    DetectorDropped.WithLabels(id).IncTo(c.Dropped);
                    if (analysis.Get(id)?.Objects is { } o) Tracks.WithLabels(id).Set(o.LiveTracks);
                }
                DetectorMs.Set(s.MeanInferenceMs);
            }
            RetentionDeleted.IncTo(stats.RetentionDeleted);
            DiskFree.Set(disk.FreeBytes(layout.Root));
            DiskTotal.Set(disk.TotalBytes(layout.Root));
            RecordingsBytes.Set(await index.TotalBytesAsync(ct));
        });
    }
}
