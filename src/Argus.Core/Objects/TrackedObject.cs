namespace Argus.Core.Objects;

/// <summary>
/// One tracked object as the tracker reports it for a frame. <paramref name="Seen"/> is false while the track coasts
/// on its prediction (missed detection, occlusion); <paramref name="Stationary"/> is set once it has stopped moving.
/// </summary>
public readonly record struct TrackedObject(long TrackId, string Class, NormBox Box, double Score, bool Seen, bool Stationary);

/// <summary>
/// The tracker's view of one analysed frame: the confirmed live tracks, and the ids of the tracks that ended on this
/// frame (lost for too long). Rules on zones and lines are evaluated from a sequence of these.
/// </summary>
public sealed record ObjectFrame(DateTimeOffset Time, IReadOnlyList<TrackedObject> Objects, IReadOnlyList<long> Ended);
