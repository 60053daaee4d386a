using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Argus.Server.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;

namespace Argus.Server.ConsoleUi;

/// <summary>A failed API call, with the API's own explanation.</summary>
public sealed class ApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// The console acts only through the REST API, as the signed-in user (their session is also a bearer token), so every
/// check and audit entry of the API applies to the console unchanged. Calls go over loopback and carry the browser's
/// address, vouched for by a per-process secret (see <see cref="ConsoleForwarding"/>).
/// </summary>
public sealed class ConsoleApi(AuthenticationStateProvider auth, IHttpContextAccessor http, ConsoleForwarding forwarding)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private string? _address;

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body)
    {
        using var response = await SendAsync(method, path, body);
        return response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<T>(Json);
    }

    public async Task DoAsync(HttpMethod method, string path, object? body = null)
    {
        using var response = await SendAsync(method, path, body);
    }

    /// <summary>
    /// Live events as the signed-in user receives them from /hubs/events: the same hub and the same per-camera checks as
    /// any other client. Dispose the connection when the page goes.
    /// </summary>
    public async Task<HubConnection> ConnectEventsAsync(Func<EventPush, Task> onEvent)
    {
        _address ??= http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "?";
        var user = (await auth.GetAuthenticationStateAsync()).User;
        var token = SessionCookie.TokenOf(user) ?? throw new ApiException(HttpStatusCode.Unauthorized, "you are not signed in.");
        var stamp = new HttpRequestMessage();
        forwarding.Stamp(stamp, _address);
        var hub = new HubConnectionBuilder()
            .WithUrl(forwarding.BaseAddress + "hubs/events", o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                foreach (var h in stamp.Headers) o.Headers[h.Key] = string.Join(',', h.Value);
            })
            .WithAutomaticReconnect()
            .Build();
        hub.On<EventPush>(Argus.Server.Events.EventHub.Message, onEvent);
        await hub.StartAsync();
        return hub;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body)
    {
        _address ??= http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "?";
        var user = (await auth.GetAuthenticationStateAsync()).User;
        var token = SessionCookie.TokenOf(user) ?? throw new ApiException(HttpStatusCode.Unauthorized, "you are not signed in.");
        using var request = new HttpRequestMessage(method, forwarding.BaseAddress + path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        forwarding.Stamp(request, _address);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        var response = await forwarding.Client.SendAsync(request);
        if (response.IsSuccessStatusCode) return response;
        var detail = await Detail(response);
        response.Dispose();
        throw new ApiException(response.StatusCode, response.StatusCode == HttpStatusCode.Unauthorized ? "your session has ended; sign in again." : detail);
    }

    private static async Task<string> Detail(HttpResponseMessage r)
    {
        try
        {
            using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
            return doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? r.ReasonPhrase ?? "" : r.ReasonPhrase ?? "";
        }
        catch (JsonException) { return $"{(int)r.StatusCode} {r.ReasonPhrase}"; }
    }
}

/// <summary>
/// Lets the console's loopback API calls carry the browser's address for the audit log. Only a request that carries
/// this process's random secret is believed; anyone else sending X-Forwarded-For changes nothing.
/// </summary>
public sealed class ConsoleForwarding(IServer server)
{
    private const string SecretHeader = "X-Argus-Console";
    private const string AddressHeader = "X-Argus-Client-Address";
    private readonly string _secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private string? _base;

    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) }) { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>This server's own address on loopback.</summary>
    public string BaseAddress => _base ??= Resolve();

    private string Resolve()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("the console needs a plain http listener on this host");
        var uri = new Uri(address.Replace("://*", "://localhost").Replace("://+", "://localhost"));
        var host = uri.Host is "0.0.0.0" or "[::]" or "localhost" ? "127.0.0.1" : uri.Host;
        return $"http://{host}:{uri.Port}/";
    }

    public void Stamp(HttpRequestMessage request, string address)
    {
        request.Headers.Add(SecretHeader, _secret);
        request.Headers.Add(AddressHeader, address);
    }

    public void Apply(HttpContext http)
    {
        if (!http.Request.Headers.TryGetValue(SecretHeader, out var secret)) return;
        var ok = IPAddress.IsLoopback(http.Connection.RemoteIpAddress ?? IPAddress.None)
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(secret.ToString()), System.Text.Encoding.UTF8.GetBytes(_secret));
        if (ok && IPAddress.TryParse(http.Request.Headers[AddressHeader].ToString(), out var client)) http.Connection.RemoteIpAddress = client;
    }
}
