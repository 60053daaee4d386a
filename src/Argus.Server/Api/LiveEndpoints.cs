using System.Net.WebSockets;
using System.Text.Json;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Security;
using Argus.Core.Recording;
using Argus.Media.Live;
using Argus.Media.Recording;
using Argus.Server.Security;

namespace Argus.Server.Api;

/// <summary>
/// Live view and snapshots. Live video is what the recorder's ffmpeg writes, fanned out by <see cref="LiveChannel"/>:
/// one camera connection and no ffmpeg per viewer.
/// </summary>
public static class LiveEndpoints
{
    public static void MapLiveEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/cameras/{id}").WithTags("Live").RequireAuthorization();

        g.MapGet("/live", async (string id, HttpContext http, ICameraStore store, RecorderHost recorders, CameraAccess access, TokenService tokens,
            IAuditLog audit, CancellationToken ct) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
                return Problems.BadRequest("live video is a WebSocket stream: connect with a WebSocket client.");
            if (!CameraId.IsValid(id) || await store.GetAsync(id, ct) is null) return Problems.NotFound("no such camera.");
            if (recorders.Live(id) is not { } channel)
                return Problems.Unavailable("the camera is not recording on this server (paused?); its snapshot shows the last recorded picture.");
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            var started = DateTimeOffset.UtcNow;
            await audit.WriteAsync(http, AuditActions.LiveStart, id, true);
            using var watch = new AccessWatch(access, tokens, http, id);
            await LiveSocket.RunAsync(socket, channel, watch.StillAllowed, ct);
            await audit.WriteAsync(http, AuditActions.LiveStop, id, true,
                $"after {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s" + (watch.StillAllowed() ? "" : $": {watch.Reason}"));
            return Results.Empty;
        }).RequireCamera(CameraRights.Live).WithSummary("Live video as fMP4 for Media Source Extensions over a WebSocket")
          .WithDescription("""
            Messages from the server: a text message {"type":"init","codec":"avc1.64001f","width":1280,"height":720},
            then one binary message with the init segment (ftyp+moov), then one binary message per fragment (moof+mdat,
            as long as Recorder:FragmentDuration, 250 ms by default, or one frame for cameras whose live view is masked). The codec is for MediaSource.isTypeSupported('video/mp4; codecs="..."'). When the camera's
            ffmpeg restarts, a new text+binary init pair arrives: reset the MediaSource. A viewer that falls behind
            skips to the next keyframe. The server closes the socket when the camera stops recording.
            """);

        // HLS fallback for players without Media Source Extensions (older iOS): same camera connection, GOP segments.
        g.MapGet("/hls/live.m3u8", async (string id, HttpContext http, RecorderHost recorders, HlsWindows hls, HlsAudit hlsAudit, IAuditLog audit, CancellationToken ct) =>
        {
            if (recorders.Live(id) is not { } channel)
                return Problems.Unavailable("the camera is not recording on this server (paused?).");
            if (hlsAudit.ShouldWrite(Caller.From(http.User).Id, id)) await audit.WriteAsync(http, AuditActions.LiveStart, id, true, "hls");
            var playlist = await hls.Get(id, channel).PlaylistAsync(wait: TimeSpan.FromSeconds(30), ct);
            if (playlist is null) return Problems.Unavailable("not enough live video arrived within 30 s.");
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Text(playlist, "application/vnd.apple.mpegurl");
        }).RequireCamera(CameraRights.Live).WithSummary("Live video as HLS (fMP4 segments of one GOP each): the fallback for players without MSE");

        g.MapGet("/hls/init{version:int}.mp4", (string id, int version, HlsWindows hls) =>
            hls.Existing(id)?.InitOf(version) is { } init ? Results.Bytes(init.Data, "video/mp4") : Problems.NotFound("no such init segment."))
            .RequireCamera(CameraRights.Live).ExcludeFromDescription();

        g.MapGet("/hls/{sequence:long}.m4s", (string id, long sequence, HlsWindows hls) =>
            hls.Existing(id)?.Segment(sequence) is { } segment ? Results.Bytes(segment.Data, "video/mp4") : Problems.NotFound("segment gone (too old) or not yet made."))
            .RequireCamera(CameraRights.Live).ExcludeFromDescription();

        g.MapGet("/snapshot", async (string id, HttpContext http, ICameraStore store, ISegmentIndex index, SnapshotMaker snapshots, CancellationToken ct) =>
        {
            // A deleted camera's recordings stay reachable until retention removes them (as for clips).
            if (!CameraId.IsValid(id) || (await store.GetAsync(id, ct) is null && !await index.HasCameraAsync(id, ct)))
                return Problems.NotFound("no such camera.");
            if (await snapshots.GetAsync(id, ct) is not { } snapshot)
                return Problems.Unavailable("no picture available: the camera has no live video and no recording yet.");
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Snapshot-Source"] = snapshot.Source == SnapshotSource.Live ? "live" : "recording";
            return Results.File(snapshot.Jpeg, "image/jpeg", lastModified: snapshot.MadeAt);
        }).RequireCamera(CameraRights.Live, AuditActions.Snapshot).WithSummary("The camera's current picture as JPEG (live keyframe, else the end of the newest recording); cached ~1 s");
    }
}

/// <summary>HLS players poll the playlist every few seconds: the audit log gets one live.start per viewer and camera in 10 minutes.</summary>
public sealed class HlsAudit
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), DateTime> _last = new();

    public bool ShouldWrite(string userId, string cameraId)
    {
        var now = DateTime.UtcNow;
        var key = (userId, cameraId);
        if (_last.TryGetValue(key, out var t) && now - t < TimeSpan.FromMinutes(10)) return false;
        _last[key] = now;
        return true;
    }
}

/// <summary>
/// Re-checks, once a second while a live stream runs, that the viewer may still watch: their grant's time window,
/// a grant or role changed by an admin, a revoked session. The stream ends (close code 1008) when not.
/// </summary>
public sealed class AccessWatch : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _allowed = true;

    public string Reason { get; private set; } = "";

    public AccessWatch(CameraAccess access, TokenService tokens, HttpContext http, string cameraId)
    {
        var caller = Caller.From(http.User);
        var token = SessionCookie.TokenOf(http.User) ?? BearerAuthentication.TokenFrom(http.Request);
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var user = token is null ? null : await tokens.ValidateAsync(token, _stop.Token);
                    if (user is null || user.Role != caller.Role) { Deny("the session ended"); return; }
                    var decision = await access.CheckAsync(caller, cameraId, CameraRights.Live, _stop.Token);
                    if (!decision.Allowed) { Deny(decision.Reason); return; }
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    private void Deny(string reason)
    {
        Reason = reason;
        _allowed = false;
    }

    public bool StillAllowed() => _allowed;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}

/// <summary>The server side of one live viewer's WebSocket.</summary>
public static class LiveSocket
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record InitMessage(string Type, string Codec, int Width, int Height);

    /// <summary>
    /// Streams the channel to the socket until the viewer closes it, the channel closes, <paramref name="ct"/> is
    /// cancelled, or <paramref name="stillAllowed"/> (checked before each message) says no: the hooks for access
    /// rules that change during a stream (grants with time windows, revoked tokens).
    /// </summary>
    public static async Task RunAsync(WebSocket socket, LiveChannel channel, Func<bool>? stillAllowed, CancellationToken ct)
    {
        using var viewer = channel.Subscribe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var receiving = ReceiveUntilClosedAsync(socket, stop);
        var (status, reason) = (WebSocketCloseStatus.NormalClosure, "");
        try
        {
            while (true)
            {
                var piece = await viewer.ReadAsync(stop.Token);
                if (piece is null)
                {
                    (status, reason) = (WebSocketCloseStatus.EndpointUnavailable, "the camera stopped recording");
                    break;
                }
                if (stillAllowed is not null && !stillAllowed())
                {
                    (status, reason) = (WebSocketCloseStatus.PolicyViolation, "access to this camera ended");
                    break;
                }
                if (piece is LiveInit init)
                {
                    var header = JsonSerializer.SerializeToUtf8Bytes(new InitMessage("init", init.Codec, init.Width, init.Height), Json);
                    await socket.SendAsync(header, WebSocketMessageType.Text, true, stop.Token);
                }
                await socket.SendAsync(piece.Data, WebSocketMessageType.Binary, true, stop.Token);
            }
        }
        catch (OperationCanceledException) { (status, reason) = (WebSocketCloseStatus.EndpointUnavailable, "stream ended"); }
        catch (WebSocketException) { return; } // the viewer is gone
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(status, reason, grace.Token);
                // Let the viewer answer the close: cancelling the receive would abort the connection, and a reset can
                // lose the close frame on its way to the viewer.
                await receiving.WaitAsync(grace.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
        await stop.CancelAsync();
        await receiving;
    }

    /// <summary>Viewers send nothing; reading is how a close (or a vanished client) is noticed while no video flows.</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[256];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var r = await socket.ReceiveAsync(buffer, stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        if (!stop.IsCancellationRequested) await stop.CancelAsync();
    }
}

/// <summary>Puts the WebSocket middleware at the front of the pipeline (registered as a startup filter).</summary>
public sealed class WebSocketsFirst : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        next(app);
    };
}
