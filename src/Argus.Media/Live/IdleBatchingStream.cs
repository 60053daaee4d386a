namespace Argus.Media.Live;

/// <summary>
/// A read-only stream over a pipe that, while <c>idle()</c> says so, waits <c>pause</c> before reading again once it
/// has drained what was there (a read returned less than asked), so a steady trickle is read in a few large batches
/// instead of one wake-up per write. Nothing is lost: the writer's data waits in the pipe meanwhile.
/// </summary>
internal sealed class IdleBatchingStream(Stream inner, Func<bool> idle, TimeSpan pause, Action<TimeSpan> sleep) : ReadOnlyStream
{
    private bool _drained;

    /// <summary>
    /// Reads synchronously (the pump runs on its own thread): an anonymous pipe's ReadAsync on Unix hands a blocking
    /// read to the thread pool each time, and those hops cost more than the video (measured, docs/benchmarks.md).
    /// </summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_drained && pause > TimeSpan.Zero && idle()) sleep(pause);
        var n = inner.Read(buffer.Span);
        _drained = n < buffer.Length;
        return ValueTask.FromResult(n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
}
