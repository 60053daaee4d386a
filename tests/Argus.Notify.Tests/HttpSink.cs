using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Argus.Notify.Tests;

/// <summary>A real HTTP receiver (Kestrel on a free loopback port) standing in for webhook endpoints and SMS gateways.</summary>
public sealed class HttpSink : IAsyncDisposable
{
    public sealed record Received(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Channel<Received>> _byPath = new();

    /// <summary>Status to answer per path (default 200).</summary>
    public ConcurrentDictionary<string, int> Status { get; } = new();

    private HttpSink(WebApplication app) => _app = app;

    public string Url(string path) => _app.Urls.First().TrimEnd('/') + path;

    public static async Task<HttpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new HttpSink(app);
        app.Run(async http =>
        {
            using var ms = new MemoryStream();
            await http.Request.Body.CopyToAsync(ms);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new Received(http.Request.Method, http.Request.Path + http.Request.QueryString, headers, ms.ToArray(), DateTimeOffset.UtcNow);
            await sink.Queue(http.Request.Path).Writer.WriteAsync(received);
            http.Response.StatusCode = sink.Status.GetValueOrDefault(http.Request.Path.Value ?? "/", 200);
        });
        await app.StartAsync();
        return sink;
    }

    private Channel<Received> Queue(string path) => _byPath.GetOrAdd(path, _ => Channel.CreateUnbounded<Received>());

    /// <summary>The next request to <paramref name="path"/>; fails the test after 20 s.</summary>
    public async Task<Received> NextAsync(string path)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await Queue(path).Reader.ReadAsync(cts.Token);
    }

    public int Count(string path) => Queue(path).Reader.Count;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
