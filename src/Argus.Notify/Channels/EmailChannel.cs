using System.Net.Sockets;
using Argus.Core.Notifications;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Argus.Notify.Channels;

/// <summary>One plain-text mail per delivery to all of the target's addresses, through the configured SMTP server,
/// with the snapshot JPEG attached when the event has one on disk.</summary>
public sealed class EmailChannel(INotificationSettingsStore settings, IOptions<NotificationOptions> options) : INotificationChannel
{
    private readonly AlertText _text = AlertText.For(options.Value);

    public ChannelKind Kind => ChannelKind.Email;

    public MimeMessage Compose(SmtpSettings smtp, EmailTarget email, AlertEvent alert)
    {
        var message = new MimeMessage { Subject = _text.Subject(alert) };
        message.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var to in email.To) message.To.Add(MailboxAddress.Parse(to));
        var body = new BodyBuilder { TextBody = _text.Body(alert) };
        if (alert.SnapshotPath is { } path && File.Exists(path))
            body.Attachments.Add($"snapshot-{alert.Id}.jpg", File.ReadAllBytes(path), new ContentType("image", "jpeg"));
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>How long a new event's mail waits for its snapshot, which is taken just after the event is published.</summary>
    public static readonly TimeSpan SnapshotWait = TimeSpan.FromSeconds(3);

    /// <summary>A mail is worth a moment's wait for its picture; a missing one after that goes without.</summary>
    private static async Task WaitForSnapshotAsync(AlertEvent alert, CancellationToken ct)
    {
        if (alert.SnapshotPath is not { } path) return;
        var deadline = DateTimeOffset.UtcNow + SnapshotWait;
        while (!File.Exists(path) && DateTimeOffset.UtcNow < deadline) await Task.Delay(100, ct);
    }

    public async Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertEvent alert, long deliveryId, CancellationToken ct)
    {
        var email = target.Email ?? throw new ArgumentException($"target {target.Id} is not an e-mail target.");
        if (await settings.GetSmtpAsync(ct) is not { } smtp) return DeliveryOutcome.Fail("no SMTP server is configured (settings/smtp).");
        await WaitForSnapshotAsync(alert, ct);
        MimeMessage message;
        try { message = Compose(smtp, email, alert); }
        catch (IOException e) { return DeliveryOutcome.Retry("snapshot: " + e.Message); }
        message.MessageId = $"argus-delivery-{deliveryId}@{smtp.Host}";
        using var client = new SmtpClient { Timeout = (int)options.Value.SmtpTimeout.TotalMilliseconds };
        try
        {
            var security = smtp.Security switch
            {
                SmtpSecurity.Ssl => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
            if (smtp.User is not null) await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
            return DeliveryOutcome.Ok;
        }
        catch (SmtpCommandException e)
        {
            // 4xx replies are the server's "try again later"; 5xx are final (unknown mailbox, refused sender).
            var text = $"SMTP {(int)e.StatusCode}: {e.Message}";
            return (int)e.StatusCode < 500 ? DeliveryOutcome.Retry(text) : DeliveryOutcome.Fail(text);
        }
        catch (AuthenticationException e) { return DeliveryOutcome.Fail("SMTP login refused: " + e.Message); }
        catch (Exception e) when (e is SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException or TimeoutException)
        {
            return DeliveryOutcome.Retry(DeliveryOutcome.Describe(e));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return DeliveryOutcome.FromException(e);
        }
    }
}
