using System.Buffers.Binary;
using System.Diagnostics;
using Argus.Integration.Tests.Infrastructure;
using Argus.Media.Ffmpeg;
using Argus.Media.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace Argus.Media.Tests.Live;

public class SegmentTailTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("argus-tail-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Segments as the recorder writes them: its default fragments, timestamps restarting in each file.</summary>
    private static async Task<string[]> RecordSegments(string dir, double seconds, int segmentSeconds)
    {
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                     "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-g", "25",
                     "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                     "-f", "segment", "-segment_time", segmentSeconds.ToString(), "-reset_timestamps", "1", "-segment_format", "mp4",
                     "-segment_format_options", $"movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration={RecordCommand.FragmentMicros(RecordCommand.DefaultFragment)}",
                     Path.Combine(dir, "run-x-%06d.mp4"),
                 })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, err);
        return Directory.GetFiles(dir, "*.mp4").Order().ToArray();
    }

    private static uint Samples(byte[] fragment)
    {
        // moof > traf > trun: sample_count after version/flags (ffmpeg writes one traf, one trun here)
        var at = fragment.AsSpan().IndexOf("trun"u8);
        return BinaryPrimitives.ReadUInt32BigEndian(fragment.AsSpan(at + 8));
    }

    private static async Task<List<LivePiece>> ReadUntil(LiveSubscriber viewer, Func<List<LivePiece>, bool> enough)
    {
        var got = new List<LivePiece>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (!enough(got)) got.Add((await viewer.ReadAsync(timeout.Token))!);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"not enough after 30 s: {string.Join(", ", got.Select(p => p is LiveFragment f ? $"{(f.IsKeyframe ? "K" : "")}{Samples(f.Data)}@{f.BaseMediaDecodeTime}" : p.GetType().Name))}");
        }
        return got;
    }

    [Fact]
    public async Task A_viewer_follows_the_segments_being_written_from_the_last_keyframe_across_files_without_a_gap()
    {
        var staged = await RecordSegments(Path.Combine(_dir, "staged"), 6, 2);
        Assert.Equal(3, staged.Length);
        var incoming = Path.Combine(_dir, "incoming");
        Directory.CreateDirectory(incoming);
        File.Copy(staged[0], Path.Combine(incoming, Path.GetFileName(staged[0])));

        var channel = new LiveChannel("cam");
        using var tail = new SegmentTail(channel, incoming, "run-x-", NullLogger.Instance);
        Assert.Equal(0, channel.Fragments); // nobody watches: nothing is read
        using var viewer = channel.Subscribe();
        // The first file is complete on disk, so the viewer starts at its last keyframe (second 1 of 2).
        var start = await ReadUntil(viewer, got => got.OfType<LiveFragment>().Sum(f => Samples(f.Data)) >= 25);
        Assert.IsType<LiveInit>(start[0]);
        Assert.True(((LiveFragment)start[1]).IsKeyframe);
        // ffmpeg opens the next files: the viewer goes on into them. (One file at a time: a burst of more than the
        // viewer's lag bound would rightly make it skip ahead.)
        File.Copy(staged[1], Path.Combine(incoming, Path.GetFileName(staged[1])));
        var second = await ReadUntil(viewer, got => got.OfType<LiveFragment>().Sum(f => Samples(f.Data)) >= 50);
        File.Copy(staged[2], Path.Combine(incoming, Path.GetFileName(staged[2])));
        var third = await ReadUntil(viewer, got => got.OfType<LiveFragment>().Sum(f => Samples(f.Data)) >= 50);

        var pieces = start.Concat(second).Concat(third).ToList();
        Assert.Single(pieces.OfType<LiveInit>()); // the same moov in every file: no player reset
        var fragments = pieces.OfType<LiveFragment>().ToList();
        Assert.Equal(125, fragments.Sum(f => Samples(f.Data))); // 1 s of the first file, all of the other two
        var expected = 5 / RecordCommand.DefaultFragment.TotalSeconds;
        Assert.True(fragments.Count >= expected, $"{fragments.Count} fragments: expected {expected} or more, as long as the recorder's");
        var timescale = ((LiveInit)pieces[0]).Timescale;
        for (var i = 1; i < fragments.Count; i++)
            Assert.Equal(fragments[i - 1].BaseMediaDecodeTime + SegmentTail.Duration(fragments[i - 1].Data, 0), fragments[i].BaseMediaDecodeTime);
        var span = (fragments[^1].BaseMediaDecodeTime + SegmentTail.Duration(fragments[^1].Data, 0) - fragments[0].BaseMediaDecodeTime) / (double)timescale;
        Assert.Equal(5.0, span, 3); // 125 frames at 25 fps

        // What a player appends decodes as one stream with every frame and a running clock.
        var file = Path.Combine(_dir, "joined.mp4");
        await File.WriteAllBytesAsync(file, [.. pieces[0].Data, .. fragments.SelectMany(f => f.Data)]);
        Assert.Equal(125, Ffprobe.DecodedFrames(file));
    }

    [Fact]
    public async Task A_snapshot_without_viewers_reads_the_last_keyframe_of_the_newest_segment()
    {
        var staged = await RecordSegments(Path.Combine(_dir, "incoming"), 4, 2);
        var channel = new LiveChannel("cam");
        using var tail = new SegmentTail(channel, Path.Combine(_dir, "incoming"), "run-x-", NullLogger.Instance);
        var latest = channel.LatestKeyframe();
        Assert.NotNull(latest);
        Assert.True(latest.Value.Keyframe.IsKeyframe);
        Assert.Equal(320, latest.Value.Init.Width);
        // The second file's keyframe at its 1 s: the newest picture, read without following the file.
        Assert.InRange(latest.Value.Keyframe.BaseMediaDecodeTime / (double)latest.Value.Init.Timescale, 0.8, 1.2);
        Assert.Equal(0, channel.Viewers);
        Assert.Equal(2, staged.Length);
    }

    [Fact]
    public async Task Reading_stops_after_the_last_viewer_leaves_and_a_new_viewer_starts_it_again()
    {
        var staged = await RecordSegments(Path.Combine(_dir, "staged"), 2, 2);
        var incoming = Path.Combine(_dir, "incoming");
        Directory.CreateDirectory(incoming);
        File.Copy(staged[0], Path.Combine(incoming, Path.GetFileName(staged[0])));
        var channel = new LiveChannel("cam");
        using var tail = new SegmentTail(channel, incoming, "run-x-", NullLogger.Instance, linger: TimeSpan.FromMilliseconds(100));
        using (var first = channel.Subscribe())
            await ReadUntil(first, got => got.OfType<LiveFragment>().Any());
        // The reader gives up after the linger: the channel forgets its stale picture.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (channel.Init is not null && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Null(channel.Init);
        using var second = channel.Subscribe();
        var again = await ReadUntil(second, got => got.OfType<LiveFragment>().Any());
        Assert.IsType<LiveInit>(again[0]);
        Assert.True(again.OfType<LiveFragment>().First().IsKeyframe);
    }
}
