namespace Argus.Cluster;

/// <summary>One grain per camera: owns its desired state and health and drives the pipeline on its silo.</summary>
public interface ICameraGrain : IGrainWithStringKey
{
    /// <summary>Reloads the camera's desired state from the store and converges the pipeline to it.</summary>
    Task ApplyAsync();

    /// <summary>Stops the pipeline for a camera that was deleted.</summary>
    Task RemoveAsync();

    Task<CameraStatusView> GetStatusAsync();

    /// <summary>The node's recorder saw the camera go online or offline.</summary>
    Task OnHealthChangedAsync(bool online, DateTimeOffset? lastFrameAt, string? reason);
}

[GenerateSerializer, Immutable]
public sealed record CameraStatusView(
    [property: Id(0)] string Status,
    [property: Id(1)] double Fps,
    [property: Id(2)] double BitrateKbps,
    [property: Id(3)] DateTimeOffset? LastFrameAt,
    [property: Id(4)] int Restarts,
    [property: Id(5)] string? LastError,
    [property: Id(6)] DateTimeOffset? StatusSince,
    [property: Id(7)] AnalysisStatusView? Analysis = null);

/// <summary>How the camera's motion analysis is doing: off, or receiving frames (with the decoder's trouble if not).</summary>
[GenerateSerializer, Immutable]
public sealed record AnalysisStatusView(
    [property: Id(0)] string Status,
    [property: Id(1)] long Frames,
    [property: Id(2)] DateTimeOffset? LastFrameAt,
    [property: Id(3)] int Restarts,
    [property: Id(4)] string? LastError,
    [property: Id(5)] ObjectStatusView? Objects = null);

/// <summary>Object detection on the camera: off, on (with its classes and counters) or unavailable (with why).</summary>
[GenerateSerializer, Immutable]
public sealed record ObjectStatusView(
    [property: Id(0)] string Status,
    [property: Id(1)] IReadOnlyList<string> Classes,
    [property: Id(2)] long Detections,
    [property: Id(3)] long Dropped,
    [property: Id(4)] int LiveTracks,
    [property: Id(5)] string? Error);
