using Argus.Core.Notifications;

namespace Argus.Notify;

/// <summary>
/// Per-target gate before sending: the same event state goes out once; a <c>new</c> event of a camera and type already
/// alerted within the target's de-dup window is held back (with its later states); and a token bucket of
/// MaxPerMinute. Not thread-safe: one target's worker owns it.
/// </summary>
public sealed class Admission(TimeProvider time)
{
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(10);
    private readonly Dictionary<(long Id, string State), DateTimeOffset> _sent = new();
    private readonly Dictionary<(string? Camera, string Type), DateTimeOffset> _lastNew = new();
    /// <summary>Events whose <c>new</c> was held back, with the status to give their later states.</summary>
    private readonly Dictionary<long, (string Status, DateTimeOffset At)> _held = new();
    private readonly Dictionary<long, string> _lastUpdate = new();
    private double _tokens = -1;
    private DateTimeOffset _refilled;

    public sealed record Refusal(string Status, string Reason);

    /// <returns>null when the alert may be sent (a token is then taken), else why not.</returns>
    public Refusal? Check(NotificationTarget target, AlertEvent alert)
    {
        var now = time.GetUtcNow();
        Forget(now, target.DedupWindow);
        if (_held.TryGetValue(alert.Id, out var held))
            return new Refusal(held.Status, $"the event's start was not sent ({held.Status})");
        if (alert.State == AlertStates.Update)
        {
            // Updates repeat by nature; only an identical one is a duplicate.
            var json = System.Text.Encoding.UTF8.GetString(AlertJson.Serialize(alert));
            if (_lastUpdate.TryGetValue(alert.Id, out var last) && last == json) return new Refusal(DeliveryStatus.Deduplicated, "same update already sent");
            _lastUpdate[alert.Id] = json;
        }
        else if (_sent.ContainsKey((alert.Id, alert.State)))
            return new Refusal(DeliveryStatus.Deduplicated, $"event {alert.Id} {alert.State} already sent");
        if (alert.State == AlertStates.New && target.DedupWindow > TimeSpan.Zero
            && _lastNew.TryGetValue((alert.CameraId, alert.Type), out var previous) && now - previous < target.DedupWindow)
        {
            _held[alert.Id] = (DeliveryStatus.Deduplicated, now);
            return new Refusal(DeliveryStatus.Deduplicated, $"another {alert.Type} of this camera was sent {(now - previous).TotalSeconds:0} s ago");
        }
        if (!TakeToken(target.MaxPerMinute, now))
        {
            if (alert.State == AlertStates.New) _held[alert.Id] = (DeliveryStatus.RateLimited, now);
            return new Refusal(DeliveryStatus.RateLimited, $"more than {target.MaxPerMinute} a minute");
        }
        if (alert.State != AlertStates.Update) _sent[(alert.Id, alert.State)] = now;
        if (alert.State == AlertStates.New) _lastNew[(alert.CameraId, alert.Type)] = now;
        if (alert.State == AlertStates.End) _lastUpdate.Remove(alert.Id);
        return null;
    }

    private bool TakeToken(int perMinute, DateTimeOffset now)
    {
        if (_tokens < 0) (_tokens, _refilled) = (perMinute, now);
        _tokens = Math.Min(perMinute, _tokens + (now - _refilled).TotalMinutes * perMinute);
        _refilled = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }

    private void Forget(DateTimeOffset now, TimeSpan window)
    {
        if (_sent.Count + _held.Count + _lastUpdate.Count < 1000) return;
        var limit = now - (window > Memory ? window : Memory);
        foreach (var (k, at) in _sent) if (at < limit) _sent.Remove(k);
        foreach (var (k, at) in _lastNew) if (at < limit) _lastNew.Remove(k);
        foreach (var (k, v) in _held) if (v.At < limit) _held.Remove(k);
        if (_lastUpdate.Count > 10000) _lastUpdate.Clear();
    }
}
