using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Argus.Cli.Api;

/// <summary>
/// The Argus REST API over HTTP. Every call either returns the parsed answer or throws <see cref="ApiException"/>
/// (the server said no; carries its problem detail) or <see cref="ServerUnreachableException"/> (no answer).
/// </summary>
public sealed class ApiClient : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient http;
    private readonly string? token;

    public ApiClient(Uri server, string? token, HttpMessageHandler? handler = null)
    {
        if (!server.IsAbsoluteUri || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            throw new CliUsageException($"server must be an http:// or https:// URL, not '{server}'.");
        Server = server;
        this.token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        // Timeouts are per request (see Timeout); the HttpClient's own would also cut off long downloads.
        http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = new Uri(server.AbsoluteUri.TrimEnd('/') + "/"),
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("argus-cli", typeof(ApiClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public Uri Server { get; }

    /// <summary>How long to wait for the answer to a request (for an export: for its headers, as the server cuts the clip first).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The server as shown in messages: without any user:password part.</summary>
    public string ServerDisplay => Argus.Core.Cameras.SourceUrl.Redact(Server.AbsoluteUri.TrimEnd('/'));

    // ---- System ----

    public async Task<TokenReply> LoginAsync(string user, string password, CancellationToken ct = default)
    {
        var reply = await SendAsync<TokenReply>(HttpMethod.Post, "api/auth/token", new { user, password }, ct, authenticate: false);
        if (string.IsNullOrEmpty(reply.Value.Token)) throw new ApiException(200, "Invalid response", "the server answered without a token.");
        return reply.Value;
    }

    public Task<Reply<JsonElement>> HealthAsync(CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Get, "api/health", null, ct, authenticate: false);

    public Task<Reply<StorageInfo>> StorageAsync(CancellationToken ct = default) =>
        SendAsync<StorageInfo>(HttpMethod.Get, "api/storage", null, ct);

    public Task<Reply<List<ArgusEvent>>> EventsAsync(EventFilter filter, CancellationToken ct = default) =>
        SendAsync<List<ArgusEvent>>(HttpMethod.Get, "api/events" + Query(
            ("camera", filter.Camera), ("type", filter.Type), ("from", Iso(filter.From)), ("to", Iso(filter.To)),
            ("limit", filter.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))), null, ct);

    // ---- Cameras ----

    public Task<Reply<List<Camera>>> CamerasAsync(CancellationToken ct = default) =>
        SendAsync<List<Camera>>(HttpMethod.Get, "api/cameras", null, ct);

    public Task<Reply<Camera>> CameraAsync(string id, CancellationToken ct = default) =>
        SendAsync<Camera>(HttpMethod.Get, CameraPath(id), null, ct);

    public Task<Reply<CreatedId>> AddCameraAsync(CameraRequest request, CancellationToken ct = default) =>
        SendAsync<CreatedId>(HttpMethod.Post, "api/cameras", request, ct);

    public Task<Reply<Camera>> UpdateCameraAsync(string id, CameraRequest request, CancellationToken ct = default) =>
        SendAsync<Camera>(HttpMethod.Put, CameraPath(id), request, ct);

    public Task<Reply<Camera>> PauseCameraAsync(string id, CancellationToken ct = default) =>
        SendAsync<Camera>(HttpMethod.Post, CameraPath(id, "/pause"), null, ct);

    public Task<Reply<Camera>> ResumeCameraAsync(string id, CancellationToken ct = default) =>
        SendAsync<Camera>(HttpMethod.Post, CameraPath(id, "/resume"), null, ct);

    public Task RemoveCameraAsync(string id, bool deleteRecordings, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, CameraPath(id) + (deleteRecordings ? "?deleteRecordings=true" : ""), null, ct);

    // ---- Recordings, clips, locks ----

    public Task<Reply<List<Recording>>> RecordingsAsync(string id, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        SendAsync<List<Recording>>(HttpMethod.Get, CameraPath(id, "/recordings") + Query(("from", Iso(from)), ("to", Iso(to))), null, ct);

    public Task<Reply<List<EvidenceLock>>> LocksAsync(string id, CancellationToken ct = default) =>
        SendAsync<List<EvidenceLock>>(HttpMethod.Get, CameraPath(id, "/locks"), null, ct);

    public Task<Reply<EvidenceLock>> AddLockAsync(string id, DateTimeOffset from, DateTimeOffset to, string reason, CancellationToken ct = default) =>
        SendAsync<EvidenceLock>(HttpMethod.Post, CameraPath(id, "/locks"), new { from = Iso(from), to = Iso(to), reason }, ct);

    public Task RemoveLockAsync(string id, long lockId, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, CameraPath(id, $"/locks/{lockId}"), null, ct);

    /// <summary>
    /// Downloads [from, to) as MP4 into <paramref name="outPath"/>: streamed into a temporary file beside it, which is
    /// renamed only once complete, so an interrupted export never leaves a truncated file under the real name.
    /// </summary>
    public async Task<ExportResult> ExportClipAsync(string id, DateTimeOffset from, DateTimeOffset to, string outPath, bool overwrite,
        IDownloadProgress? progress = null, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(outPath);
        if (!overwrite && File.Exists(full)) throw new CliUsageException($"{outPath} already exists (use --force to replace it).");
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new CliUsageException($"directory {dir} does not exist.");

        using var request = NewRequest(HttpMethod.Get, CameraPath(id, "/clip") + Query(("from", Iso(from)), ("to", Iso(to))), null, authenticate: true);
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode) throw await ErrorFromAsync(response, ct);

        var total = response.Content.Headers.ContentLength;
        var suggested = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName;
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.part");
        long written = 0;
        try
        {
            await using (var body = await response.Content.ReadAsStreamAsync(ct))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                progress?.Started(total);
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await ReadAsync(body, buffer, ct)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                    written += n;
                    progress?.Advanced(written);
                }
                await file.FlushAsync(ct);
            }
            if (total is { } expected && written != expected)
                throw new ServerUnreachableException(ServerDisplay, $"the download stopped after {written} of {expected} bytes.");
            File.Move(temp, full, overwrite);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        return new ExportResult(full, written, suggested is null ? null : Path.GetFileName(suggested.Trim('"')));
    }

    private async Task<int> ReadAsync(Stream body, byte[] buffer, CancellationToken ct)
    {
        try { return await body.ReadAsync(buffer, ct); }
        catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            throw new ServerUnreachableException(ServerDisplay, "the connection broke during the download: " + Innermost(e));
        }
    }

    // ---- Plumbing ----

    private async Task<Reply<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct, bool authenticate = true)
    {
        using var request = NewRequest(method, path, body, authenticate);
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        if (!response.IsSuccessStatusCode) throw await ErrorFromAsync(response, ct);
        var json = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(json))
            return new Reply<T>(default!, "");
        try
        {
            var value = JsonSerializer.Deserialize<T>(json, Json);
            return value is null
                ? throw new ApiException((int)response.StatusCode, "Invalid response", "the server answered with null.")
                : new Reply<T>(value, json);
        }
        catch (JsonException e)
        {
            throw new ApiException((int)response.StatusCode, "Invalid response", $"the server's answer is not what this client expects ({e.Message}).");
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path, object? body, bool authenticate)
    {
        var request = new HttpRequestMessage(method, path);
        if (authenticate && token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        // Serialized up front so that the request has a Content-Length rather than chunked encoding.
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), Json), Encoding.UTF8, "application/json");
        return request;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            var response = await http.SendAsync(request, completion, timeout.Token);
            if (completion == HttpCompletionOption.ResponseContentRead || !response.IsSuccessStatusCode)
                await response.Content.LoadIntoBufferAsync(timeout.Token);
            return response;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ServerUnreachableException(ServerDisplay, $"no answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException(ServerDisplay, Innermost(e), e);
        }
    }

    /// <summary>Turns an error answer into its problem detail; a body that is not problem JSON becomes a short summary.</summary>
    internal static async Task<ApiException> ErrorFromAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        string? title = null, detail = null;
        string body = "";
        try { body = await response.Content.ReadAsStringAsync(ct); } catch (Exception e) when (e is IOException or HttpRequestException) { }
        if (body.TrimStart().StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                title = Text(doc.RootElement, "title");
                detail = Text(doc.RootElement, "detail");
                // ASP.NET's validation problems put the reasons under "errors".
                if (detail is null && doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                    detail = string.Join("; ", errors.EnumerateObject().SelectMany(p =>
                        p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(v => $"{p.Name}: {v}") : [$"{p.Name}: {p.Value}"]));
            }
            catch (JsonException) { }
        }
        else if (body.Length > 0 && response.Content.Headers.ContentType?.MediaType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)
        {
            detail = OneLine(body, 200);
        }
        detail ??= title ?? DefaultDetail(response);
        return new ApiException(status, title, detail);
    }

    private static string DefaultDetail(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Unauthorized => "not logged in, or the token has expired.",
        HttpStatusCode.Forbidden => "your user is not allowed to do this.",
        HttpStatusCode.NotFound => "not found.",
        _ => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd(),
    };

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s : null;

    private static string OneLine(string s, int max)
    {
        var b = new StringBuilder();
        foreach (var c in s.Trim()) { b.Append(char.IsControl(c) ? ' ' : c); if (b.Length >= max) { b.Append('…'); break; } }
        return b.ToString();
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }

    private static string CameraPath(string id, string rest = "") => "api/cameras/" + Uri.EscapeDataString(id) + rest;

    private static string? Iso(DateTimeOffset? t) => t is { } v ? TimeArg.ToQuery(v) : null;

    private static string Query(params (string Name, string? Value)[] parts)
    {
        var given = parts.Where(p => p.Value is not null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)).ToList();
        return given.Count == 0 ? "" : "?" + string.Join("&", given);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public void Dispose() => http.Dispose();
}
