namespace Argus.Core.Events;

public enum EventChange { New, Update, End }

/// <summary>
/// Where stored analysis events go next: the console (push), notifications. Called from a background worker, never
/// from a camera's frame thread; implementations must not block.
/// </summary>
public interface IEventPublisher
{
    /// <param name="snapshotPath">The event's snapshot JPEG on disk, once taken (for e-mail attachments).</param>
    void Publish(EventChange change, CameraEvent e, string? cameraName, string? snapshotPath);
}
