using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Argus.Cli.Tests;

/// <summary>A real HTTP server on 127.0.0.1 and a free port, answering with a handler the test gives.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public sealed record Seen(string Method, string PathAndQuery, string? Authorization, string Body);

    private readonly HttpListener listener;
    private readonly Func<HttpListenerContext, Task> handler;
    private readonly Task loop;

    public ConcurrentQueue<Seen> Requests { get; } = new();

    public Uri Url { get; }

    public TestServer(Func<HttpListenerContext, Task> handler)
    {
        this.handler = handler;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var l = new HttpListener();
            l.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                l.Start();
                listener = l;
                Url = new Uri($"http://127.0.0.1:{port}");
                break;
            }
            catch (HttpListenerException) when (attempt < 5) { l.Close(); }
        }
        loop = Task.Run(LoopAsync);
    }

    /// <summary>A server that answers every request with the given status and JSON body.</summary>
    public static TestServer Json(int status, string json, string contentType = "application/json") =>
        new(ctx => Respond(ctx, status, json, contentType));

    public static async Task Respond(HttpListenerContext ctx, int status, string body, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.StatusCode = status;
        if (status != 204)
        {
            ctx.Response.ContentType = contentType;
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
        }
        ctx.Response.Close();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(async () =>
            {
                var body = await new StreamReader(ctx.Request.InputStream, Encoding.UTF8).ReadToEndAsync();
                Requests.Enqueue(new Seen(ctx.Request.HttpMethod, ctx.Request.Url!.PathAndQuery, ctx.Request.Headers["Authorization"], body));
                try { await handler(ctx); }
                catch (Exception e)
                {
                    try { await Respond(ctx, 599, $"{{\"title\":\"test handler failed\",\"detail\":\"{e.GetType().Name}\"}}"); } catch { }
                }
            });
        }
    }

    public Seen Single() => Assert.Single(Requests);

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try { await loop.WaitAsync(TimeSpan.FromSeconds(5)); } catch { }
    }
}
