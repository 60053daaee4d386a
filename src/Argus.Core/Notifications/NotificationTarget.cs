using System.Net.Mail;
using System.Text.RegularExpressions;
using Argus.Core.Cameras;

namespace Argus.Core.Notifications;

public enum ChannelKind { Webhook, Mqtt, Email, Sms }

/// <summary>
/// Where alerts go and which ones: routing by event type, camera and rule (each empty = all), with a rate limit and
/// a de-duplication window. Exactly the settings of its <see cref="Kind"/> are set.
/// </summary>
public sealed record NotificationTarget
{
    public required string Id { get; init; }
    public required ChannelKind Kind { get; init; }
    public required string Name { get; init; }
    /// <summary>
    /// Event types it wants (e.g. motion, alarm, camera.offline); empty = all but the counting stream: a line.cross that
    /// no rule asked for (every vehicle on a counted road) goes only to targets that name line.cross.
    /// </summary>
    public IReadOnlyList<string> Events { get; init; } = [];
    public IReadOnlyList<string> Cameras { get; init; } = [];
    /// <summary>Rule names it is routed from; empty = any (also events without a rule).</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
    public int MaxPerMinute { get; init; } = 30;
    /// <summary>A second <c>new</c> event of the same camera and type within this window is not sent; zero turns it off.</summary>
    public TimeSpan DedupWindow { get; init; } = TimeSpan.FromSeconds(60);
    public bool Enabled { get; init; } = true;
    public WebhookTarget? Webhook { get; init; }
    public EmailTarget? Email { get; init; }
    public SmsTarget? Sms { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public static string NewId() => CameraId.New();

    /// <summary>Routing. E-mail and SMS take only the <c>new</c> state: people want one message per incident, not its updates.</summary>
    public bool Wants(AlertEvent e) =>
        Enabled
        && (Kind is not (ChannelKind.Email or ChannelKind.Sms) || e.State == AlertStates.New)
        && (Events.Count == 0 ? !(e.Type == global::Argus.Core.Events.EventTypes.LineCross && e.Rule is null) : Events.Contains(e.Type, StringComparer.Ordinal))
        && (Cameras.Count == 0 || (e.CameraId is not null && Cameras.Contains(e.CameraId, StringComparer.Ordinal)))
        && (Rules.Count == 0 || (e.Rule is not null && Rules.Contains(e.Rule, StringComparer.Ordinal)));

    /// <exception cref="ArgumentException">naming the first problem, worded for the API caller.</exception>
    public void Validate()
    {
        if (!CameraId.IsValid(Id)) throw new ArgumentException($"'{Id}' is not a valid target id.");
        NotificationText.RequireName(Name, "name");
        foreach (var t in Events)
            if (string.IsNullOrWhiteSpace(t) || t.Length > 64 || t.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
                throw new ArgumentException($"event type '{t}' is not valid (1-64 characters, no spaces).");
        foreach (var c in Cameras)
            if (!CameraId.IsValid(c)) throw new ArgumentException($"'{c}' is not a camera id.");
        foreach (var r in Rules) NotificationText.RequireName(r, "rule name");
        if (Events.Count > 100 || Cameras.Count > 10000 || Rules.Count > 1000) throw new ArgumentException("too many events, cameras or rules.");
        if (MaxPerMinute is < 1 or > 10000) throw new ArgumentException("maxPerMinute must be 1-10000.");
        if (DedupWindow < TimeSpan.Zero || DedupWindow > TimeSpan.FromDays(1)) throw new ArgumentException("dedupWindow must be 0 s to 1 day.");
        var set = (Webhook is null ? 0 : 1) + (Email is null ? 0 : 1) + (Sms is null ? 0 : 1);
        switch (Kind)
        {
            case ChannelKind.Webhook when Webhook is not null && set == 1: Webhook.Validate(); break;
            case ChannelKind.Email when Email is not null && set == 1: Email.Validate(); break;
            case ChannelKind.Sms when Sms is not null && set == 1: Sms.Validate(); break;
            case ChannelKind.Mqtt: throw new ArgumentException("MQTT is configured once for the broker (settings/mqtt), not as a target.");
            default: throw new ArgumentException($"a {Kind} target needs its {Kind.ToString().ToLowerInvariant()} settings and no others.");
        }
    }
}

public sealed record WebhookTarget(string Url, string Secret)
{
    public const int MinSecretLength = 16;

    public void Validate()
    {
        NotificationText.RequireHttpUrl(Url, "url");
        if (Secret is null || Secret.Length < MinSecretLength) throw new ArgumentException($"secret must be at least {MinSecretLength} characters.");
        if (Secret.Length > 1000) throw new ArgumentException("secret is longer than 1000 characters.");
    }
}

public sealed record EmailTarget(IReadOnlyList<string> To)
{
    public void Validate()
    {
        if (To is null || To.Count is 0 or > 50) throw new ArgumentException("to must list 1-50 e-mail addresses.");
        foreach (var a in To) NotificationText.RequireEmail(a, "to");
    }
}

public sealed record SmsTarget(IReadOnlyList<string> To)
{
    public void Validate()
    {
        if (To is null || To.Count is 0 or > 20) throw new ArgumentException("to must list 1-20 phone numbers.");
        foreach (var n in To)
            if (!NotificationText.IsE164(n)) throw new ArgumentException($"'{n}' is not an E.164 phone number (like +41791234567).");
    }
}

public static partial class NotificationText
{
    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    public static bool IsE164(string? number) => number is not null && E164().IsMatch(number);

    public static void RequireName(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 100 || value.Any(char.IsControl))
            throw new ArgumentException($"{what} is required (1-100 characters, no control characters).");
    }

    public static void RequireHttpUrl(string? value, string what)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException($"{what} must be an absolute http or https URL.");
    }

    public static void RequireEmail(string? value, string what)
    {
        // MailAddress accepts "Name <a@b>" too; only a bare address is wanted here.
        if (string.IsNullOrWhiteSpace(value) || !MailAddress.TryCreate(value, out var parsed) || parsed.Address != value.Trim())
            throw new ArgumentException($"{what}: '{value}' is not an e-mail address.");
    }
}
