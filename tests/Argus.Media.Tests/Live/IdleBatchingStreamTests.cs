using Argus.Media.Live;

namespace Argus.Media.Tests.Live;

public class IdleBatchingStreamTests
{
    /// <summary>Returns its chunks one per read, as a pipe returns what the writer has put in so far.</summary>
    private sealed class Chunks(params int[] sizes) : MemoryStream(Enumerable.Range(0, sizes.Sum()).Select(i => (byte)i).ToArray())
    {
        private int _next;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, _next < sizes.Length ? sizes[_next++] : 0)], ct);
    }

    /// <summary>Counts the pauses asked for and lets each pass at once.</summary>
    private sealed class CountingClock : TimeProvider
    {
        public int Pauses;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref Pauses);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new Stopped();
        }

        private sealed class Stopped : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Theory]
    [InlineData(true, 3)]   // idle: a pause after each short read (the pipe was drained), none after full ones
    [InlineData(false, 0)]  // watched: never
    public async Task Pauses_only_when_idle_and_drained_and_loses_nothing(bool idle, int pauses)
    {
        var inner = new Chunks(4096, 4096, 100, 4096, 50, 10);
        var clock = new CountingClock();
        var stream = new IdleBatchingStream(inner, () => idle, TimeSpan.FromMilliseconds(250), clock);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 4096);
        Assert.Equal(inner.ToArray(), copy.ToArray());
        Assert.Equal(pauses, clock.Pauses);
    }
}
