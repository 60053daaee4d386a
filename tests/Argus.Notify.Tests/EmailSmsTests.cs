using System.Text.Json;
using Argus.Core.Notifications;
using MimeKit;

namespace Argus.Notify.Tests;

public sealed class EmailSmsTests
{
    [Fact]
    public async Task An_email_with_the_snapshot_attached_reaches_the_smtp_server()
    {
        await using var n = await Notifier.StartAsync();
        var mails = Path.Combine(n.Dir, "mails");
        using var smtp = await ServiceProcess.SmtpSinkAsync(mails);
        await n.Settings.SaveSmtpAsync(new SmtpSettings { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, From = "argus@example.org" });
        var target = await n.AddAsync(new NotificationTarget
        {
            Id = NotificationTarget.NewId(), Kind = ChannelKind.Email, Name = "guards", Email = new EmailTarget(["guard@example.org", "chief@example.org"]),
        });
        var snapshot = Path.Combine(n.Dir, "snap.jpg");
        var jpeg = new byte[5000];
        Random.Shared.NextBytes(jpeg);
        (jpeg[0], jpeg[1], jpeg[2]) = (0xFF, 0xD8, 0xFF);
        await File.WriteAllBytesAsync(snapshot, jpeg);

        n.Dispatcher.Publish(Notifier.Alert(11, type: AlertTypes.Alarm, snapshot: snapshot));

        var record = Assert.Single(await n.WaitAsync(target.Id, r => r.Any(x => x.Status is DeliveryStatus.Sent or DeliveryStatus.Failed)));
        Assert.Equal(DeliveryStatus.Sent, record.Status);
        var message = await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(mails, "*.eml")));
        Assert.StartsWith("[Argus] Alarm: Gate driveway at ", message.Subject);
        Assert.Equal(["guard@example.org", "chief@example.org"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("Rule: night", message.TextBody ?? "");
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("image/jpeg", attachment.ContentType.MimeType);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Equal(jpeg, content.ToArray());
    }

    [Fact]
    public async Task A_new_event_mail_waits_for_the_snapshot_taken_just_after_it_was_published()
    {
        await using var n = await Notifier.StartAsync();
        var mails = Path.Combine(n.Dir, "mails");
        using var smtp = await ServiceProcess.SmtpSinkAsync(mails);
        await n.Settings.SaveSmtpAsync(new SmtpSettings { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, From = "argus@example.org" });
        var target = await n.AddAsync(new NotificationTarget { Id = NotificationTarget.NewId(), Kind = ChannelKind.Email, Name = "owner", Email = new EmailTarget(["owner@example.org"]) });
        var snapshot = Path.Combine(n.Dir, "later.jpg");

        // The analysis publishes a new event first and writes its snapshot a moment later.
        n.Dispatcher.Publish(Notifier.Alert(21, type: AlertTypes.Alarm, snapshot: snapshot));
        await Task.Delay(400);
        await File.WriteAllBytesAsync(snapshot, [0xFF, 0xD8, 0xFF, 1, 2, 3]);

        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await n.WaitAsync(target.Id, r => r.Any(x => x.Status is DeliveryStatus.Sent or DeliveryStatus.Failed))).Status);
        var message = await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(mails, "*.eml")));
        Assert.Single(message.Attachments);
    }

    [Fact]
    public async Task An_unreachable_smtp_server_is_retried_and_logged()
    {
        await using var n = await Notifier.StartAsync(o => o.MaxAttempts = 2);
        await n.Settings.SaveSmtpAsync(new SmtpSettings { Host = "127.0.0.1", Port = ServiceProcess.FreePort(), Security = SmtpSecurity.None, From = "argus@example.org" });
        var target = await n.AddAsync(new NotificationTarget { Id = NotificationTarget.NewId(), Kind = ChannelKind.Email, Name = "m", Email = new EmailTarget(["a@example.org"]) });

        n.Dispatcher.Publish(Notifier.Alert(12));

        var failed = Assert.Single(await n.WaitAsync(target.Id, r => r.Any(x => x.Status == DeliveryStatus.Failed)));
        Assert.Equal(2, failed.Attempts);
        Assert.Contains("refused", failed.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_sms_gateway_gets_the_templated_body_and_its_auth_header_per_number()
    {
        await using var gateway = await HttpSink.StartAsync();
        await using var n = await Notifier.StartAsync();
        await n.Settings.SaveSmsGatewayAsync(new SmsGatewaySettings
        {
            Url = gateway.Url("/send?to={to}"),
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer gw-token-123" },
            BodyTemplate = """{"recipient":"{to}","message":"{text}","from":"Argus"}""",
        });
        var target = await n.AddAsync(new NotificationTarget
        {
            Id = NotificationTarget.NewId(), Kind = ChannelKind.Sms, Name = "phones", Sms = new SmsTarget(["+41791234567", "+14155550100"]),
        });

        n.Dispatcher.Publish(Notifier.Alert(13, type: AlertTypes.Alarm) with { CameraName = "Gate \"north\"" });

        foreach (var number in new[] { "+41791234567", "+14155550100" })
        {
            var got = await gateway.NextAsync("/send");
            Assert.Equal("POST", got.Method);
            Assert.Equal("/send?to=" + Uri.EscapeDataString(number), got.PathAndQuery);
            Assert.Equal("Bearer gw-token-123", got.Headers["Authorization"]);
            var body = JsonDocument.Parse(got.Body).RootElement;
            Assert.Equal(number, body.GetProperty("recipient").GetString());
            var text = body.GetProperty("message").GetString()!;
            Assert.StartsWith("Argus Alarm: Gate \"north\" driveway ", text);
            Assert.True(text.Length <= 160);
        }
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await n.WaitAsync(target.Id, r => r.Any(x => x.Status == DeliveryStatus.Sent))).Status);
    }

    [Fact]
    public async Task A_retry_after_a_gateway_error_texts_only_the_numbers_not_yet_served()
    {
        await using var gateway = await HttpSink.StartAsync();
        gateway.Status["/sms/+14155550100"] = 503;
        await using var n = await Notifier.StartAsync(o => o.MaxAttempts = 50);
        await n.Settings.SaveSmsGatewayAsync(new SmsGatewaySettings { Url = gateway.Url("/sms/{to}") });
        var target = await n.AddAsync(new NotificationTarget
        {
            Id = NotificationTarget.NewId(), Kind = ChannelKind.Sms, Name = "phones", Sms = new SmsTarget(["+41791234567", "+14155550100"]),
        });

        n.Dispatcher.Publish(Notifier.Alert(14));
        await gateway.NextAsync("/sms/+41791234567");
        await gateway.NextAsync("/sms/+14155550100");
        gateway.Status["/sms/+14155550100"] = 200;

        var sent = Assert.Single(await n.WaitAsync(target.Id, r => r.Any(x => x.Status == DeliveryStatus.Sent)));
        Assert.True(sent.Attempts > 1);
        Assert.Equal(0, gateway.Count("/sms/+41791234567"));
    }
}
