using System.Diagnostics;
using Argus.Integration.Tests.Infrastructure;
using Argus.Media.Live;

namespace Argus.Media.Tests.Live;

public class Fmp4StreamReaderTests
{
    /// <summary>Runs ffmpeg with its fragmented MP4 on stdout, as the recorder's live output does.</summary>
    internal static Process FfmpegToStdout(string size, int rate, double seconds, int gop, string profile)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size={size}:rate={rate}",
                     "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-profile:v", profile,
                     "-g", gop.ToString(), "-keyint_min", gop.ToString(), "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                     "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+frag_every_frame+skip_trailer", "pipe:1",
                 })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    internal static async Task<(LiveInit Init, List<LiveFragment> Fragments)> ReadAll(Stream s)
    {
        var reader = new Fmp4StreamReader(s);
        LiveInit? init = null;
        var fragments = new List<LiveFragment>();
        while (await reader.ReadAsync() is { } piece)
        {
            if (piece is LiveInit i)
            {
                Assert.Null(init);
                Assert.Empty(fragments);
                init = i;
            }
            else fragments.Add((LiveFragment)piece);
        }
        return (init!, fragments);
    }

    [Fact]
    public async Task Real_ffmpeg_stream_gives_init_one_fragment_per_frame_and_keyframes_every_gop()
    {
        using var p = FfmpegToStdout("640x360", 25, 3, 25, "main");
        var (init, fragments) = await ReadAll(p.StandardOutput.BaseStream);
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);

        Assert.NotNull(init);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(init.Data, 4, 4));
        Assert.Equal(640, init.Width);
        Assert.Equal(360, init.Height);
        Assert.True(init.Timescale > 0);

        Assert.Equal(75, fragments.Count);
        var keyframes = fragments.Select((f, i) => (f, i)).Where(x => x.f.IsKeyframe).Select(x => x.i).ToArray();
        Assert.Equal([0, 25, 50], keyframes);
        Assert.All(fragments, f => Assert.Equal("moof", System.Text.Encoding.ASCII.GetString(f.Data, 4, 4)));
        // Decode times advance by one frame per fragment.
        var step = init.Timescale / 25;
        for (var i = 1; i < fragments.Count; i++)
            Assert.Equal((ulong)step, fragments[i].BaseMediaDecodeTime - fragments[i - 1].BaseMediaDecodeTime);

        // The codec string carries profile and level as ffprobe reads them.
        var (profile, level) = ProbeProfileLevel(init, fragments);
        var expectedProfile = profile switch { "Main" => 0x4D, "High" => 0x64, "Constrained Baseline" => 0x42, _ => -1 };
        Assert.Matches("^avc1\\.[0-9a-f]{6}$", init.Codec);
        Assert.Equal(expectedProfile, Convert.ToInt32(init.Codec[5..7], 16));
        Assert.Equal(level, Convert.ToInt32(init.Codec[9..11], 16));
    }

    [Fact]
    public async Task With_nobody_watching_only_keyframes_are_copied()
    {
        using var p = FfmpegToStdout("320x240", 25, 3, 25, "main");
        var reader = new Fmp4StreamReader(p.StandardOutput.BaseStream, keepDeltaFrames: () => false);
        var pieces = new List<LivePiece>();
        while (await reader.ReadAsync() is { } piece) pieces.Add(piece);
        await p.WaitForExitAsync();
        Assert.IsType<LiveInit>(pieces[0]);
        Assert.Equal(75, pieces.Count - 1); // every frame is accounted for, copied or skipped
        Assert.Equal([1, 26, 51], pieces.Select((x, i) => (x, i)).Where(x => x.x is LiveFragment).Select(x => x.i).ToArray());
        Assert.All(pieces.OfType<LiveFragment>(), f => Assert.True(f.IsKeyframe));
        Assert.Equal(72, pieces.Count(x => ReferenceEquals(x, LiveSkipped.Instance)));
    }

    [Fact]
    public async Task Init_and_fragments_concatenated_are_a_playable_file()
    {
        using var p = FfmpegToStdout("320x240", 25, 2, 10, "high");
        var (init, fragments) = await ReadAll(p.StandardOutput.BaseStream);
        await p.WaitForExitAsync();
        Assert.StartsWith("avc1.64", init.Codec);
        var file = Write(init, fragments);
        try { Assert.Equal(50, Ffprobe.DecodedFrames(file)); }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task A_stream_cut_in_the_middle_of_a_fragment_ends_without_it()
    {
        using var p = FfmpegToStdout("320x240", 25, 1, 25, "main");
        var ms = new MemoryStream();
        await p.StandardOutput.BaseStream.CopyToAsync(ms);
        await p.WaitForExitAsync();
        var bytes = ms.ToArray();
        var (_, all) = await ReadAll(new MemoryStream(bytes));
        var (_, cut) = await ReadAll(new MemoryStream(bytes[..^10]));
        Assert.Equal(all.Count - 1, cut.Count);
    }

    [Fact]
    public void Hevc_codec_string_follows_the_annex_e_form()
    {
        // hvcC of a Main profile, level 3.1 stream as x265 writes it; the entry is a minimal hvc1 VisualSampleEntry.
        byte[] hvcC = [1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93, 0xF0, 0, 0xFC, 0xFD, 0xF8, 0xF8, 0, 0, 0x0F, 0];
        var entry = new byte[8 + 78 + 8 + hvcC.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(entry, (uint)entry.Length);
        "hvc1"u8.CopyTo(entry.AsSpan(4));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(entry.AsSpan(8 + 24), 1280);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(entry.AsSpan(8 + 26), 720);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(entry.AsSpan(8 + 78), (uint)(8 + hvcC.Length));
        "hvcC"u8.CopyTo(entry.AsSpan(8 + 78 + 4));
        hvcC.CopyTo(entry.AsSpan(8 + 78 + 8));
        Assert.Equal(("hvc1.1.6.L93.90", 1280, 720), Fmp4StreamReader.SampleEntry(entry));
    }

    internal static string Write(LiveInit init, IEnumerable<LiveFragment> fragments)
    {
        var file = Path.Combine(Path.GetTempPath(), $"argus-live-{Guid.NewGuid():N}.mp4");
        using (var f = File.Create(file))
        {
            f.Write(init.Data);
            foreach (var x in fragments) f.Write(x.Data);
        }
        return file;
    }

    private static (string Profile, int Level) ProbeProfileLevel(LiveInit init, List<LiveFragment> fragments)
    {
        var file = Write(init, fragments.Take(5));
        try
        {
            var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=profile,level", "-of", "default=nw=1", file })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=', 2)).ToDictionary(x => x[0], x => x[1]);
            p.WaitForExit();
            return (lines["profile"], int.Parse(lines["level"]));
        }
        finally { File.Delete(file); }
    }
}
