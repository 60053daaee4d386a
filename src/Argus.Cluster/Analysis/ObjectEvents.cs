using Argus.Core.Analysis;
using Argus.Core.Events;
using Microsoft.Extensions.Logging;

namespace Argus.Cluster.Analysis;

/// <summary>Where a camera's object analysis puts what it finds: events (with the object's picture) and counts.</summary>
public interface IObjectEvents
{
    /// <summary>Stores a new event, saves its picture when there is one, publishes it; returns it with its id.</summary>
    Task<CameraEvent> AddAsync(CameraEvent e, byte[]? jpeg);
    Task EndAsync(CameraEvent e);
    Task StoreCountsAsync(IReadOnlyList<LineCount> minutes);
}

/// <summary>The server's: the event log, data/events/CAMERA/EVENT.jpg, the console and notifiers, the count store.</summary>
public sealed class StoredObjectEvents(AnalysisServices services, string cameraName, ILogger log) : IObjectEvents
{
    public async Task<CameraEvent> AddAsync(CameraEvent e, byte[]? jpeg)
    {
        var id = await services.Events.AddAsync(e);
        e = e with { Id = id };
        string? path = null;
        if (jpeg is not null && e.CameraId is not null)
        {
            try
            {
                path = services.Snapshots.PathOf(e.CameraId, id);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, jpeg);
                e = e with { HasSnapshot = true };
                await services.Events.UpdateAsync(e);
            }
            catch (Exception x) when (x is IOException or UnauthorizedAccessException)
            {
                path = null;
                log.LogWarning("Camera {Camera}: object snapshot not saved: {Error}", e.CameraId, x.Message);
            }
        }
        services.Publisher.Publish(EventChange.New, e, cameraName, path);
        return e;
    }

    public async Task EndAsync(CameraEvent e)
    {
        await services.Events.UpdateAsync(e);
        services.Publisher.Publish(EventChange.End, e, cameraName, null);
    }

    public Task StoreCountsAsync(IReadOnlyList<LineCount> minutes) => services.Counts.AddAsync(minutes);
}
