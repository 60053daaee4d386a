namespace Argus.Notify.Channels;

/// <summary>The HTTP client of webhook and SMS deliveries: pooled connections, no redirects (a signed body must not be
/// forwarded elsewhere), no client-wide timeout (each request gets <see cref="NotificationOptions.HttpTimeout"/>).</summary>
public sealed class NotifyHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Sends with a timeout and turns the answer or the exception into an outcome.</summary>
    public async Task<DeliveryOutcome> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            return DeliveryOutcome.FromStatus(response.StatusCode, response.ReasonPhrase);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryOutcome.Retry($"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DeliveryOutcome.FromException(e);
        }
    }

    public void Dispose() => Client.Dispose();
}
