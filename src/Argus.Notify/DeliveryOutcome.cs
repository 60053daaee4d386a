using System.Net;
using System.Net.Sockets;

namespace Argus.Notify;

/// <summary>The result of one attempt: sent, worth retrying (network, timeout, 5xx, 429), or failed for good.</summary>
public readonly record struct DeliveryOutcome(bool Sent, bool Transient, string? Error)
{
    public static DeliveryOutcome Ok => new(true, false, null);
    public static DeliveryOutcome Retry(string error) => new(false, true, error);
    public static DeliveryOutcome Fail(string error) => new(false, false, error);

    public static DeliveryOutcome FromStatus(HttpStatusCode status, string? reason)
    {
        var code = (int)status;
        if (code is >= 200 and < 300) return Ok;
        var text = $"HTTP {code} {reason}".TrimEnd();
        return code is 408 or 425 or 429 or >= 500 ? Retry(text) : Fail(text);
    }

    /// <summary>Network trouble is transient; anything else (bad configuration, refused credentials) is not.</summary>
    public static DeliveryOutcome FromException(Exception e) => e switch
    {
        HttpRequestException or SocketException or IOException or TimeoutException or OperationCanceledException => Retry(Describe(e)),
        _ => Fail(Describe(e)),
    };

    public static string Describe(Exception e)
    {
        var inner = e.InnerException is { } i && i.Message != e.Message ? $" ({i.Message})" : "";
        return $"{e.GetType().Name}: {e.Message}{inner}";
    }
}
