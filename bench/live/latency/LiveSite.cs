using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Argus.Bench.Latency;

/// <summary>A tiny Kestrel site on 127.0.0.1 (ephemeral port): static files from the given folders (the
/// bench's web/ folder first) and the reference live relay: WebSocket /live/{name} runs one
/// `ffmpeg -c copy -f mp4 frag_every_frame` per viewer on the named RTSP source and forwards it in
/// mse-live.js's protocol (text init with codec, binary init segment, binary fragments).</summary>
public sealed class LiveSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    public string BaseUrl { get; }

    public static string WebRoot => Path.Combine(AppContext.BaseDirectory, "web");

    private LiveSite(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<LiveSite> StartAsync(IReadOnlyDictionary<string, string> rtspSources, params string[] extraRoots)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        IFileProvider[] roots = [new PhysicalFileProvider(WebRoot), .. extraRoots.Select(r => new PhysicalFileProvider(r))];
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new CompositeFileProvider(roots) });
        app.UseWebSockets();
        app.Map("/live/{name}", async (HttpContext http, string name) =>
        {
            if (!http.WebSockets.IsWebSocketRequest) { http.Response.StatusCode = 400; return; }
            if (!rtspSources.TryGetValue(name, out var url)) { http.Response.StatusCode = 404; return; }
            using var ws = await http.WebSockets.AcceptWebSocketAsync();
            await RelayAsync(ws, url, http.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LiveSite(app, address.TrimEnd('/'));
    }

    /// <summary>Reference path, deliberately naive: no fan-out, no GOP cache; a viewer's ffmpeg starts
    /// at whatever the camera sends first (the test bed forces a keyframe on PLAY).</summary>
    private static async Task RelayAsync(WebSocket ws, string rtspUrl, CancellationToken aborted)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        // The viewer closing the socket ends the relay.
        var receiving = DrainUntilCloseAsync(ws, cts);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "-hide_banner", "-loglevel", "error", "-nostdin", "-rtsp_transport", "tcp", "-i", rtspUrl,
                     "-map", "0:v:0", "-c", "copy", "-f", "mp4",
                     // One fragment per frame, flushed at once: the pipe must not hold frames back.
                     "-movflags", "+empty_moov+default_base_moof+frag_every_frame", "-flush_packets", "1", "pipe:1",
                 })
            psi.ArgumentList.Add(a);
        using var ffmpeg = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        ffmpeg.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[relay ffmpeg] {e.Data}"); };
        ffmpeg.BeginErrorReadLine();
        try
        {
            await foreach (var piece in Fmp4.ReadAsync(ffmpeg.StandardOutput.BaseStream, cts.Token))
            {
                if (piece.IsInit)
                {
                    var init = Encoding.UTF8.GetBytes($"{{\"type\":\"init\",\"codec\":\"{Fmp4.CodecString(piece.Data)}\"}}");
                    await ws.SendAsync(init, WebSocketMessageType.Text, true, cts.Token);
                }
                await ws.SendAsync(piece.Data, WebSocketMessageType.Binary, true, cts.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Viewer gone.
        }
        finally
        {
            if (!ffmpeg.HasExited) ffmpeg.Kill();
            await ffmpeg.WaitForExitAsync(CancellationToken.None);
            await cts.CancelAsync();
            await receiving;
        }
        if (ws.State == WebSocketState.Open)
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "stream ended", CancellationToken.None);
    }

    private static async Task DrainUntilCloseAsync(WebSocket ws, CancellationTokenSource cts)
    {
        var buffer = new byte[1024];
        try
        {
            while (ws.State == WebSocketState.Open)
                if ((await ws.ReceiveAsync(buffer, cts.Token)).MessageType == WebSocketMessageType.Close) break;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            return;
        }
        await cts.CancelAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
