namespace Argus.Media.Live;

/// <summary>
/// A read-only stream over a pipe that, while <c>idle()</c> says so, waits <c>pause</c> before reading again once it
/// has drained what was there (a read returned less than asked), so a steady trickle is read in a few large batches
/// instead of one wake-up per write. Nothing is lost: the writer's data waits in the pipe meanwhile.
/// </summary>
internal sealed class IdleBatchingStream(Stream inner, Func<bool> idle, TimeSpan pause, TimeProvider clock) : Stream
{
    private bool _drained;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_drained && pause > TimeSpan.Zero && idle()) await Task.Delay(pause, clock, ct);
        var n = await inner.ReadAsync(buffer, ct);
        _drained = n < buffer.Length;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
