namespace Argus.Core.Notifications;

public enum SmtpSecurity { None, StartTls, Ssl }

/// <summary>The SMTP server all e-mail targets send through.</summary>
public sealed record SmtpSettings
{
    public required string Host { get; init; }
    public int Port { get; init; } = 587;
    public SmtpSecurity Security { get; init; } = SmtpSecurity.StartTls;
    public string? User { get; init; }
    /// <summary>Secret: encrypted at rest, never returned by the API.</summary>
    public string? Password { get; init; }
    public required string From { get; init; }

    public void Validate()
    {
        NotificationText.RequireName(Host, "host");
        if (Port is < 1 or > 65535) throw new ArgumentException("port must be 1-65535.");
        NotificationText.RequireEmail(From, "from");
        if (Password is not null && User is null) throw new ArgumentException("a password needs a user.");
    }
}

/// <summary>The MQTT broker; when set, every alert is published there (Frigate-style topics) and arming is read from it.</summary>
public sealed record MqttSettings
{
    public required string Host { get; init; }
    public int Port { get; init; } = 1883;
    public string? User { get; init; }
    /// <summary>Secret: encrypted at rest, never returned by the API.</summary>
    public string? Password { get; init; }
    public string TopicPrefix { get; init; } = "argus";
    public string ClientId { get; init; } = "argus";
    public bool Enabled { get; init; } = true;

    public void Validate()
    {
        NotificationText.RequireName(Host, "host");
        if (Port is < 1 or > 65535) throw new ArgumentException("port must be 1-65535.");
        if (string.IsNullOrEmpty(TopicPrefix) || TopicPrefix.Length > 100 || TopicPrefix.IndexOfAny("#+ ".ToCharArray()) >= 0 || TopicPrefix.EndsWith('/'))
            throw new ArgumentException("topicPrefix must be 1-100 characters without #, +, spaces or a trailing /.");
        NotificationText.RequireName(ClientId, "clientId");
    }
}

/// <summary>
/// An HTTP SMS gateway: one request per recipient to <see cref="Url"/>; <c>{to}</c> and <c>{text}</c> in the URL and
/// body template are replaced (URL-encoded in the URL, escaped for JSON or form bodies by content type).
/// </summary>
public sealed record SmsGatewaySettings
{
    public required string Url { get; init; }
    public string Method { get; init; } = "POST";
    /// <summary>Secret as a whole (gateways put their token here): encrypted at rest, only the names are returned.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string BodyTemplate { get; init; } = """{"to":"{to}","text":"{text}"}""";
    public string ContentType { get; init; } = "application/json";

    public void Validate()
    {
        NotificationText.RequireHttpUrl(Url.Replace("{to}", "x").Replace("{text}", "x"), "url");
        if (Method is not ("POST" or "GET" or "PUT")) throw new ArgumentException("method must be POST, PUT or GET.");
        if (Headers.Count > 20) throw new ArgumentException("at most 20 headers.");
        foreach (var (name, value) in Headers)
            if (string.IsNullOrWhiteSpace(name) || name.Any(c => c <= ' ' || c == ':' || c > '~') || value is null || value.Any(char.IsControl))
                throw new ArgumentException($"header '{name}' is not a valid header.");
        if (BodyTemplate is null || BodyTemplate.Length > 4000) throw new ArgumentException("bodyTemplate is required (at most 4000 characters).");
        if (!BodyTemplate.Contains("{text}") && !Url.Contains("{text}")) throw new ArgumentException("the body template or the URL must contain {text}.");
        if (!BodyTemplate.Contains("{to}") && !Url.Contains("{to}")) throw new ArgumentException("the body template or the URL must contain {to}.");
        NotificationText.RequireName(ContentType, "contentType");
    }
}

/// <summary>Global channel settings, one row per channel; secrets encrypted at rest.</summary>
public interface INotificationSettingsStore
{
    Task<SmtpSettings?> GetSmtpAsync(CancellationToken ct = default);
    Task SaveSmtpAsync(SmtpSettings? settings, CancellationToken ct = default);
    Task<MqttSettings?> GetMqttAsync(CancellationToken ct = default);
    Task SaveMqttAsync(MqttSettings? settings, CancellationToken ct = default);
    Task<SmsGatewaySettings?> GetSmsGatewayAsync(CancellationToken ct = default);
    Task SaveSmsGatewayAsync(SmsGatewaySettings? settings, CancellationToken ct = default);
}
