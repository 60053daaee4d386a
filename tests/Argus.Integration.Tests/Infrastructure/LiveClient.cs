using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Argus.Integration.Tests.Infrastructure;

/// <summary>A live-view WebSocket client as the console's player is: init message, init segment, fragments.</summary>
public static class LiveClient
{
    public static async Task<ClientWebSocket> ConnectAsync(Uri uri, string token)
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + token);
        await ws.ConnectAsync(uri, CancellationToken.None);
        return ws;
    }

    public static async Task<(JsonObject Init, byte[] InitSegment, List<byte[]> Fragments)> ReceiveAsync(ClientWebSocket ws, int fragments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (type, text) = await MessageAsync(ws, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, type);
        var init = JsonNode.Parse(text)!.AsObject();
        var (binary, segment) = await MessageAsync(ws, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, binary);
        var list = new List<byte[]>();
        while (list.Count < fragments)
        {
            var (t, data) = await MessageAsync(ws, timeout.Token);
            Assert.Equal(WebSocketMessageType.Binary, t);
            list.Add(data);
        }
        return (init, segment, list);
    }

    public static async Task<WebSocketCloseStatus?> DrainUntilClosedAsync(ClientWebSocket ws)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var (type, _) = await MessageAsync(ws, timeout.Token);
            if (type == WebSocketMessageType.Close) return ws.CloseStatus;
        }
    }

    public static async Task<(WebSocketMessageType Type, byte[] Data)> MessageAsync(ClientWebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, ct);
            message.Write(buffer, 0, r.Count);
            if (r.EndOfMessage || r.MessageType == WebSocketMessageType.Close) return (r.MessageType, message.ToArray());
        }
    }

}
