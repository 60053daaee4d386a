using System.Collections.Concurrent;
using Argus.Media.Analysis;
using Microsoft.Extensions.Logging;

namespace Argus.Media.Tests.Analysis;

public sealed class AnalysisFeedTests
{
    private sealed class CountingSink : IFrameSink
    {
        public int Frames;
        public int WrongSize;
        public readonly List<DateTimeOffset> Times = [];
        public readonly List<double> Means = [];

        public void OnFrame(ReadOnlySpan<byte> gray, int width, int height, DateTimeOffset time)
        {
            if (gray.Length != width * height) WrongSize++;
            long sum = 0;
            foreach (var b in gray) sum += b;
            lock (Times)
            {
                Frames++;
                Times.Add(time);
                Means.Add((double)sum / gray.Length);
            }
        }
    }

    [Fact]
    public async Task Decodes_a_real_clip_to_gray_frames_of_the_requested_size_and_rate()
    {
        var clip = Fixtures.Asset("videos/traffic_cam_multilane.mp4");
        var duration = Fixtures.FfprobeDuration(clip);
        var sink = new CountingSink();
        var start = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        var log = new ListLogger();
        await using var feed = new AnalysisFeed(new AnalysisFeedOptions
        {
            InputArgs = ["-i", clip], Width = 320, Height = 180, Fps = 5, RunOnce = true, OfflineStart = start,
        }, sink, log);
        feed.Start();
        await feed.Completion.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, sink.WrongSize);
        Assert.InRange(sink.Frames, (int)(duration * 5) - 2, (int)(duration * 5) + 2);
        Assert.Equal(sink.Frames, feed.Frames);
        Assert.Equal(start, sink.Times[0]);
        Assert.Equal(TimeSpan.FromSeconds(1), sink.Times[5] - sink.Times[0]);
        // Real picture content: a road is neither black nor white, and traffic changes the frames.
        Assert.All(sink.Means, m => Assert.InRange(m, 30, 220));
        Assert.True(sink.Means.Distinct().Count() > sink.Frames / 2);
        Assert.Equal(0, feed.Restarts);
    }

    [Fact]
    public async Task Restarts_ffmpeg_after_it_is_killed()
    {
        var clip = Fixtures.Asset("videos/traffic_cam_multilane.mp4");
        var sink = new CountingSink();
        var health = new ConcurrentQueue<bool>();
        await using var feed = new AnalysisFeed(new AnalysisFeedOptions
        {
            InputArgs = ["-re", "-stream_loop", "-1", "-i", clip], Width = 160, Height = 90, Fps = 5,
        }, sink, new ListLogger());
        feed.HealthChanged += health.Enqueue;
        feed.Start();
        await WaitUntil(() => feed.Frames >= 3);
        Assert.True(feed.Receiving);

        var ffmpeg = ChildOf(feed.WrapperPid ?? throw new InvalidOperationException("no ffmpeg running"));
        System.Diagnostics.Process.GetProcessById(ffmpeg).Kill();
        await WaitUntil(() => feed.Restarts == 1);
        var afterKill = feed.Frames;
        await WaitUntil(() => feed.Frames >= afterKill + 3);

        Assert.Equal(1, feed.Restarts);
        Assert.True(feed.Receiving);
        Assert.Equal([true, false, true], health.ToArray());
        Assert.Equal(0, sink.WrongSize);
    }

    [Fact]
    public async Task Disposing_while_ffmpeg_starts_stops_it_instead_of_hanging()
    {
        // Rebuilding a camera's analyzer right after it started (a rule added just after the camera) used to wait
        // forever: the feed was disposed before its ffmpeg existed, and that ffmpeg then ran on.
        var clip = Fixtures.Asset("videos/traffic_cam_multilane.mp4");
        var marker = $"3600.{Random.Shared.Next(100000, 999999)}"; // finds this test's ffmpeg among others
        for (var i = 0; i < 10; i++)
        {
            var feed = new AnalysisFeed(new AnalysisFeedOptions
            {
                InputArgs = ["-re", "-stream_loop", "-1", "-t", marker, "-i", clip], Width = 160, Height = 90,
            }, new CountingSink(), new ListLogger());
            feed.Start();
            await Task.Delay(i * 10);
            // A hang guard, not a speed requirement: disposal must complete at all.
            await feed.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }
        using var pgrep = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pgrep", ["-f", marker]) { RedirectStandardOutput = true })!;
        var left = (await pgrep.StandardOutput.ReadToEndAsync()).Trim();
        await pgrep.WaitForExitAsync();
        Assert.Equal("", left);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("rtsp://127.0.0.1:1/nothing")]
    public async Task A_broken_input_is_logged_clearly_and_retried_without_throwing(string input)
    {
        var dir = Fixtures.TempDir();
        try
        {
            if (input == "garbage")
            {
                input = Path.Combine(dir, "garbage.mp4");
                await File.WriteAllBytesAsync(input, [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7919 % 251))]);
            }
            var log = new ListLogger();
            var sink = new CountingSink();
            await using var feed = new AnalysisFeed(new AnalysisFeedOptions
            {
                InputArgs = ["-i", input], BackoffInitial = TimeSpan.FromMilliseconds(100), BackoffMax = TimeSpan.FromMilliseconds(400),
            }, sink, log);
            feed.Start();
            await WaitUntil(() => feed.Restarts >= 3);

            Assert.Equal(0, sink.Frames);
            Assert.False(feed.Receiving);
            Assert.False(feed.Completion.IsCompleted);
            Assert.Matches("Invalid data|refused", feed.LastError);
            Assert.Contains(log.Lines, l => l.Contains("restarting in") && (l.Contains("Invalid data") || l.Contains("refused")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task RunOnce_faults_its_completion_when_the_input_cannot_be_read()
    {
        await using var feed = new AnalysisFeed(new AnalysisFeedOptions { InputArgs = ["-i", "/nonexistent/clip.mp4"], RunOnce = true },
            new CountingSink(), new ListLogger());
        feed.Start();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => feed.Completion.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("No such file", e.Message);
    }

    [Fact]
    public async Task A_failing_sink_does_not_stop_the_feed()
    {
        var clip = Fixtures.Asset("videos/traffic_cam_multilane.mp4");
        var log = new ListLogger();
        var sink = new ThrowingSink();
        await using var feed = new AnalysisFeed(new AnalysisFeedOptions { InputArgs = ["-t", "4", "-i", clip], Width = 160, Height = 90, RunOnce = true }, sink, log);
        feed.Start();
        await feed.Completion.WaitAsync(TimeSpan.FromMinutes(1));
        // Live decimation keeps frames at least ~0.2 s apart among the decoded (reference) frames: 4 s give 16 to 20.
        Assert.InRange(sink.Calls, 16, 21);
        Assert.Equal(sink.Calls, log.Lines.Count(l => l.Contains("sink failed")));
    }

    private sealed class ThrowingSink : IFrameSink
    {
        public int Calls;
        public void OnFrame(ReadOnlySpan<byte> gray, int width, int height, DateTimeOffset time)
        {
            Calls++;
            throw new InvalidOperationException("sink bug");
        }
    }

    private static int ChildOf(int pid)
    {
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            var kids = File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var k in kids)
            {
                var id = int.Parse(k, System.Globalization.CultureInfo.InvariantCulture);
                if (File.ReadAllText($"/proc/{id}/comm").Trim() == "ffmpeg") return id;
            }
        }
        throw new InvalidOperationException("the wrapper has no ffmpeg child");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 60 s");
            await Task.Delay(50);
        }
    }
}

internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();
    public IReadOnlyCollection<string> Lines => _lines;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
