using Argus.Core.Security;
using Argus.Server.Security;
using Microsoft.AspNetCore.SignalR;

namespace Argus.Server.Events;

/// <summary>
/// Live events for the console and other clients (SignalR, /hubs/events, message "event"). A connection joins one
/// group per camera whose events it may see: admins and operators all, viewers those they have playback on now.
/// Grants are read at connect; a changed grant applies from the next connection.
/// </summary>
public sealed class EventHub(CameraAccess access, Argus.Core.Cameras.ICameraStore cameras) : Hub
{
    public const string Path = "/hubs/events";
    public const string Message = "event";

    public static string Group(string cameraId) => "camera:" + cameraId;

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User!);
        var grants = await access.GrantsAsync(caller, Context.ConnectionAborted);
        foreach (var camera in await cameras.ListAsync(Context.ConnectionAborted))
        {
            var allowed = AccessPolicy.SeesAllCameras(caller.Role)
                || AccessPolicy.Check(caller.Role, grants, camera.Id, CameraRights.Playback, access.Now).Allowed;
            if (allowed) await Groups.AddToGroupAsync(Context.ConnectionId, Group(camera.Id), Context.ConnectionAborted);
        }
        await base.OnConnectedAsync();
    }
}
