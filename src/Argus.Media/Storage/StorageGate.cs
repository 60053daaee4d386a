namespace Argus.Media.Storage;

/// <summary>
/// Closed by retention when the disk is nearly full and nothing more may be deleted (all that is left is
/// evidence-locked): recorders stop writing rather than fill the disk, and resume when it opens again.
/// </summary>
public sealed class StorageGate
{
    private volatile string? _reason;

    public bool IsClosed => _reason is not null;
    public string? Reason => _reason;

    public void Close(string reason) => _reason = reason;
    public void Open() => _reason = null;
}
