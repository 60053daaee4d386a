using System.Diagnostics;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>Every source kind is recorded by stream copy: HTTP MJPEG, live HLS over HTTP, and a local file looped.</summary>
public sealed class SourceKindTests : IAsyncLifetime
{
    private TestBed _http = null!;
    private Process _hlsWriter = null!, _hlsServer = null!;
    private string _hlsDir = null!;
    private int _hlsPort;
    private ArgusServer _server = null!;

    public async Task InitializeAsync()
    {
        _http = TestBed.StartBadServers(Ports.Free(), Ports.Free());
        // A live HLS stream: ffmpeg packages the real clip (no re-encoding) and a plain HTTP server serves the folder.
        _hlsDir = Directory.CreateTempSubdirectory("argus-hls-").FullName;
        _hlsWriter = Start("ffmpeg", _hlsDir, "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
            "-i", Repo.Asset("videos/traffic_cam_multilane.mp4"), "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_list_size", "6",
            "-hls_flags", "delete_segments", Path.Combine(_hlsDir, "live.m3u8"));
        _hlsPort = Ports.Free();
        _hlsServer = Start("/usr/bin/python3", _hlsDir, "-m", "http.server", _hlsPort.ToString(), "--bind", "127.0.0.1");
        _server = await ArgusServer.StartAsync();
        Assert.True(await ArgusServer.WaitUntilAsync(() => Task.FromResult(File.Exists(Path.Combine(_hlsDir, "live.m3u8"))), TimeSpan.FromSeconds(15)));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (var p in new[] { _hlsWriter, _hlsServer })
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.Dispose();
        }
        _http.Dispose();
        Directory.Delete(_hlsDir, recursive: true);
    }

    [Fact]
    public async Task Mjpeg_hls_and_file_sources_are_recorded()
    {
        var t0 = DateTimeOffset.UtcNow;
        var cameras = new Dictionary<string, (string Url, string Codec)>
        {
            ["mjpeg"] = ($"http://127.0.0.1:{_http.Port}/mjpeg", "mjpeg"),
            ["hls"] = ($"http://127.0.0.1:{_hlsPort}/live.m3u8", "h264"),
            ["file"] = (Repo.Asset("videos/intel_one-by-one-person-detection.mp4"), "h264"),
        };
        var ids = new Dictionary<string, string>();
        foreach (var (name, (url, _)) in cameras) ids[name] = await _server.AddCameraAsync(new { name, mainUrl = url });

        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
        {
            foreach (var id in ids.Values)
                if ((await _server.RecordingsAsync(id, t0, DateTimeOffset.UtcNow.AddMinutes(1))).Count < 2) return false;
            return true;
        }, TimeSpan.FromSeconds(45)), _server.ReadLog());

        foreach (var (name, id) in ids)
        {
            var cam = await _server.CameraAsync(id);
            Assert.True(cam["status"]!.GetValue<string>() == "online", $"{name}: {cam.ToJsonString()}");
            var file = Directory.GetFiles(Path.Combine(_server.DataDir, "recordings", id), "*.mp4", SearchOption.AllDirectories)
                .First(f => !f.Contains(".incoming"));
            Assert.Equal(cameras[name].Codec, Codec(file));
            Assert.True(Ffprobe.DecodedFrames(file) > 5, $"{name}: {file} does not decode");
            // Bursty sources (HLS delivers whole segments) must not flap offline between bursts.
            Assert.DoesNotContain(await _server.EventsAsync(id), e => e.Type == "camera.offline");
        }
    }

    private static string Codec(string file)
    {
        using var p = Start("ffprobe", null, "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file);
        var codec = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return codec;
    }

    private static Process Start(string exe, string? dir, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        if (dir is not null) psi.WorkingDirectory = dir;
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }
}
