using Argus.Vision.Detection;
using Microsoft.Extensions.Logging;

namespace Argus.Cluster.Analysis;

/// <summary>
/// The node's one object detector, shared by every camera. The model is opened once at start; when it is missing or
/// unusable the reason is kept and shown (API, camera status, log) and cameras go on recording and detecting motion.
/// </summary>
public sealed class DetectorHost : IDisposable
{
    private DetectorHost(DetectorService? service, string? error, string? modelPath)
    {
        Service = service;
        Error = error;
        ModelPath = modelPath;
    }

    public DetectorService? Service { get; }

    /// <summary>
    /// Room for every camera's frame of a busy moment: a whole-frame look is two requests (tiles), and a queue that
    /// cannot hold a few cameras' looks drops them while the detector still keeps up on average (measured with 4:
    /// drops from 3 cameras on at 0.9 of 2 cores). Beyond this, the oldest waiting frame is dropped.
    /// </summary>
    public static readonly DetectorServiceOptions DefaultService = new() { Capacity = 12 };
    public string? Error { get; }
    public string? ModelPath { get; }

    public static DetectorHost Unavailable(string reason) => new(null, reason, null);

    /// <summary>
    /// How Argus runs a model: detections down to a low floor, because the tracker's second pass extends tracks with
    /// weak ones and a rider makes a weak two-wheeler sure; new tracks need the camera's minScore.
    /// </summary>
    public static DetectorOptions OptionsFor(string modelPath, DetectorLayout layout = DetectorLayout.Auto, int threads = 2) => new()
    {
        ModelPath = modelPath,
        Layout = layout,
        IntraOpThreads = threads,
        ScoreThreshold = 0.1f,
    };

    /// <param name="configured">The model path was given by the user (a failure is then an error, not a quiet default).</param>
    public static DetectorHost Open(DetectorOptions options, bool configured, ILogger log, DetectorServiceOptions? service = null)
    {
        if (!configured && !File.Exists(options.ModelPath))
        {
            log.LogInformation("No object detection model at {Path}: lines and object rules need one (see the README, Models).", options.ModelPath);
            return new DetectorHost(null, $"no model file at {options.ModelPath}", options.ModelPath);
        }
        try
        {
            var detector = new DetectorService(options, service ?? DefaultService);
            var model = detector.Model!;
            log.LogInformation("Object detector: {Model} ({Layout}, input {W}x{H}, {Classes} classes)", options.ModelPath, model.Layout,
                model.InputWidth, model.InputHeight, model.ClassCount);
            return new DetectorHost(detector, null, options.ModelPath);
        }
        catch (DetectorModelException e)
        {
            log.LogError("Object detection is unavailable: {Error}. Cameras record and detect motion; lines and object rules need a model (see the README).", e.Message);
            return new DetectorHost(null, e.Message, options.ModelPath);
        }
    }

    public void Dispose() => Service?.Dispose();
}
