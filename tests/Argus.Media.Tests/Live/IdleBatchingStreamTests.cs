using Argus.Media.Live;

namespace Argus.Media.Tests.Live;

public class IdleBatchingStreamTests
{
    /// <summary>Returns its chunks one per read, as a pipe returns what the writer has put in so far.</summary>
    private sealed class Chunks(params int[] sizes) : MemoryStream(Enumerable.Range(0, sizes.Sum()).Select(i => (byte)i).ToArray())
    {
        private int _next;

        public override int Read(Span<byte> buffer) =>
            base.Read(buffer[..Math.Min(buffer.Length, _next < sizes.Length ? sizes[_next++] : 0)]);
    }

    [Theory]
    [InlineData(true, 3)]   // idle: a pause after each short read (the pipe was drained), none after full ones
    [InlineData(false, 0)]  // watched: never
    public async Task Pauses_only_when_idle_and_drained_and_loses_nothing(bool idle, int pauses)
    {
        var inner = new Chunks(4096, 4096, 100, 4096, 50, 10);
        var slept = 0;
        var stream = new IdleBatchingStream(inner, () => idle, TimeSpan.FromMilliseconds(250), _ => slept++);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 4096);
        Assert.Equal(inner.ToArray(), copy.ToArray());
        Assert.Equal(pauses, slept);
    }
}
