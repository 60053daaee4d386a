using Argus.Core.Events;
using Microsoft.AspNetCore.SignalR;

namespace Argus.Server.Events;

/// <summary>The event as clients receive it, pushed (SignalR) and listed (/api/events) alike.</summary>
public sealed record EventDto(long Id, string? Camera, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail,
    IReadOnlyList<string> Zones, double? PeakArea, string? Rule, string? SnapshotUrl, string? ClipUrl)
{
    /// <summary>Object events: class, track id, the zone (first of Zones) or line, speed where measured, best score.</summary>
    public string? Class { get; init; }
    public long? Track { get; init; }
    public string? Zone { get; init; }
    public string? Line { get; init; }
    public string? Direction { get; init; }
    public double? SpeedKmh { get; init; }
    public double? Score { get; init; }

    public static EventDto From(CameraEvent e) => new(e.Id, e.CameraId, e.Type, e.Start, e.End, e.Detail, e.Zones, e.PeakArea, e.Rule,
        e.HasSnapshot ? $"/api/events/{e.Id}/snapshot" : null,
        e.CameraId is not null && e.Type is not (EventTypes.CameraOffline or EventTypes.CameraOnline or EventTypes.StorageLow or EventTypes.ServerDown)
            ? $"/api/events/{e.Id}/clip" : null)
    {
        Class = e.ObjectClass,
        Track = e.TrackId,
        Zone = e.ObjectClass is null ? null : e.Zones.FirstOrDefault(),
        Line = e.Line,
        Direction = e.Direction,
        SpeedKmh = e.SpeedKmh is { } s ? Math.Round(s, 1) : null,
        Score = e.Score is { } c ? Math.Round(c, 3) : null,
    };
}

/// <summary>A pushed event: its state (new, update, end) and the event.</summary>
public sealed record EventMessage(string State, EventDto Event);

/// <summary>Sends stored analysis events on: to the console over SignalR, and to the notification dispatcher.</summary>
public sealed class EventBroadcaster(IHubContext<EventHub> hub, IEnumerable<IEventSubscriber> subscribers, ILogger<EventBroadcaster> log) : IEventPublisher
{
    public void Publish(EventChange change, CameraEvent e, string? cameraName, string? snapshotPath)
    {
        var state = change switch { EventChange.New => "new", EventChange.End => "end", _ => "update" };
        if (e.CameraId is not null)
        {
            var send = hub.Clients.Group(EventHub.Group(e.CameraId)).SendAsync(EventHub.Message, new EventMessage(state, EventDto.From(e)));
            send.ContinueWith(t => log.LogWarning(t.Exception, "Pushing event {Event} failed", e.Id), TaskContinuationOptions.OnlyOnFaulted);
        }
        foreach (var s in subscribers)
        {
            try { s.OnEvent(state, e, cameraName, snapshotPath); }
            catch (Exception ex) { log.LogError(ex, "Event subscriber {Subscriber} failed on event {Event}", s.GetType().Name, e.Id); }
        }
    }
}

/// <summary>Something that wants every analysis event (notifications); must return at once.</summary>
public interface IEventSubscriber
{
    void OnEvent(string state, CameraEvent e, string? cameraName, string? snapshotPath);
}
