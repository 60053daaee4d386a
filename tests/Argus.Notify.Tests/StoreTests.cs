using System.Text;
using Argus.Core.Notifications;
using Argus.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Argus.Notify.Tests;

public sealed class StoreTests
{
    [Fact]
    public async Task Secrets_are_encrypted_at_rest_and_read_back()
    {
        await using var n = await Notifier.StartAsync();
        const string hookSecret = "webhook-secret-7f3a9c", smtpPassword = "smtp-pass-51d2e8", mqttPassword = "mqtt-pass-0c77b1", gatewayToken = "gw-token-a9e44d";
        var target = await n.AddWebhookAsync("https://example.org/hook", hookSecret);
        await n.Settings.SaveSmtpAsync(new SmtpSettings { Host = "mail.example.org", User = "argus", Password = smtpPassword, From = "argus@example.org" });
        await n.Settings.SaveMqttAsync(new MqttSettings { Host = "127.0.0.1", Port = 1, User = "argus", Password = mqttPassword, Enabled = false });
        await n.Settings.SaveSmsGatewayAsync(new SmsGatewaySettings { Url = "https://sms.example.org/send", Headers = new Dictionary<string, string> { ["X-Token"] = gatewayToken } });

        Assert.Equal(hookSecret, (await n.Targets.GetAsync(target.Id))!.Webhook!.Secret);
        Assert.Equal(smtpPassword, (await n.Settings.GetSmtpAsync())!.Password);
        Assert.Equal(mqttPassword, (await n.Settings.GetMqttAsync())!.Password);
        Assert.Equal(gatewayToken, (await n.Settings.GetSmsGatewayAsync())!.Headers["X-Token"]);

        await using (var db = new SqliteConnection($"Data Source={n.DatabaseFile}"))
        {
            await db.OpenAsync();
            await using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT Secret FROM NotificationTargets UNION ALL SELECT Secret FROM NotificationSettings";
            await using var reader = await cmd.ExecuteReaderAsync();
            var stored = new List<string>();
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
            Assert.Equal(4, stored.Count);
            foreach (var s in stored)
                foreach (var secret in new[] { hookSecret, smtpPassword, mqttPassword, gatewayToken })
                    Assert.DoesNotContain(secret, s);
        }
        // Nor anywhere else in the database files (the JSON columns, the WAL).
        foreach (var file in Directory.GetFiles(n.Dir, "argus.db*"))
        {
            var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            foreach (var secret in new[] { hookSecret, smtpPassword, mqttPassword, gatewayToken }) Assert.DoesNotContain(secret, bytes);
        }
    }

    [Fact]
    public async Task Targets_round_trip_and_delivery_queries_filter()
    {
        await using var n = await Notifier.StartAsync();
        var t = await n.AddAsync(new NotificationTarget
        {
            Id = NotificationTarget.NewId(), Kind = ChannelKind.Sms, Name = "phones", Events = ["alarm"], Cameras = ["cam1"], Rules = ["night"],
            MaxPerMinute = 5, DedupWindow = TimeSpan.FromSeconds(90), Enabled = false, Sms = new SmsTarget(["+41791234567"]),
        });
        var back = (await n.Targets.GetAsync(t.Id))!;
        Assert.Equal((t.Name, t.Kind, 5, TimeSpan.FromSeconds(90), false), (back.Name, back.Kind, back.MaxPerMinute, back.DedupWindow, back.Enabled));
        Assert.Equal(["alarm", "cam1", "night", "+41791234567"], [.. back.Events, .. back.Cameras, .. back.Rules, .. back.Sms!.To]);
        Assert.True(await n.Targets.UpdateAsync(back with { Name = "renamed" }));
        Assert.Equal("renamed", (await n.Targets.GetAsync(t.Id))!.Name);

        var at = DateTimeOffset.UtcNow;
        foreach (var (status, minutes) in new[] { ("sent", 0), ("failed", 1), ("sent", 2) })
            await n.Log.AddAsync(new DeliveryRecord(0, t.Id, t.Name, t.Kind, 1, "alarm", "new", at.AddMinutes(minutes), null, 1, status, null, null));
        Assert.Equal(2, (await n.Log.QueryAsync(new DeliveryQuery(TargetId: t.Id, Status: "sent"))).Count);
        Assert.Equal(at.AddMinutes(1).ToUnixTimeMilliseconds(),
            Assert.Single(await n.Log.QueryAsync(new DeliveryQuery(From: at.AddSeconds(30), To: at.AddSeconds(90)))).Queued.ToUnixTimeMilliseconds());
        Assert.Single(await n.Log.QueryAsync(new DeliveryQuery(Limit: 1)));
        Assert.Equal(1, await n.Log.PruneAsync(at.AddSeconds(30)));

        Assert.True(await n.Targets.DeleteAsync(t.Id));
        Assert.Null(await n.Targets.GetAsync(t.Id));
    }

    [Fact]
    public async Task An_existing_database_gets_the_notification_tables()
    {
        await using var n = await Notifier.StartAsync();
        var factory = n.Get<IDbContextFactory<ArgusDb>>();
        await using (var db = await factory.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("DROP TABLE NotificationTargets; DROP TABLE NotificationSettings; DROP TABLE Deliveries;");

        await Database.InitializeAsync(factory);

        await n.AddWebhookAsync("https://example.org/again");
        Assert.Single(await n.Targets.ListAsync());
        Assert.Empty(await n.Log.QueryAsync(new DeliveryQuery()));
    }

    [Fact]
    public void Routing_matches_type_camera_and_rule_and_people_get_only_new_alerts()
    {
        var hook = new NotificationTarget { Id = "abc", Kind = ChannelKind.Webhook, Name = "w", Events = ["alarm"], Cameras = ["cam1"], Rules = ["night"] };
        Assert.True(hook.Wants(Notifier.Alert(1, AlertStates.End, AlertTypes.Alarm)));
        Assert.False(hook.Wants(Notifier.Alert(1, type: AlertTypes.Motion)));
        Assert.False(hook.Wants(Notifier.Alert(1, type: AlertTypes.Alarm, camera: "cam2")));
        Assert.False(hook.Wants(Notifier.Alert(1, type: AlertTypes.Alarm) with { Rule = null }));
        Assert.False((hook with { Enabled = false }).Wants(Notifier.Alert(1, type: AlertTypes.Alarm)));
        var mail = new NotificationTarget { Id = "abc", Kind = ChannelKind.Email, Name = "e" };
        Assert.True(mail.Wants(Notifier.Alert(1)));
        Assert.False(mail.Wants(Notifier.Alert(1, AlertStates.Update)));
        Assert.False(mail.Wants(Notifier.Alert(1, AlertStates.End)));
        // Counting traffic is not an alert: a target for everything gets crossings only when a rule asked for them.
        var all = new NotificationTarget { Id = "abc", Kind = ChannelKind.Webhook, Name = "all" };
        Assert.False(all.Wants(Notifier.Alert(1, type: "line.cross") with { Rule = null }));
        Assert.True(all.Wants(Notifier.Alert(1, type: "line.cross") with { Rule = "Wrong way" }));
        Assert.True(all.Wants(Notifier.Alert(1, type: "object.dwell")));
        Assert.True((all with { Events = ["line.cross"] }).Wants(Notifier.Alert(1, type: "line.cross") with { Rule = null }));
    }

    [Theory]
    [InlineData("ftp://example.org/x", "a-secret-of-20-chars", "url must be an absolute http or https URL")]
    [InlineData("/relative", "a-secret-of-20-chars", "url must be an absolute http or https URL")]
    [InlineData("https://example.org/x", "short", "secret must be at least 16 characters")]
    public void Webhook_targets_are_validated(string url, string secret, string message)
    {
        var t = new NotificationTarget { Id = "abc", Kind = ChannelKind.Webhook, Name = "w", Webhook = new WebhookTarget(url, secret) };
        Assert.Contains(message, Assert.Throws<ArgumentException>(t.Validate).Message);
    }

    [Fact]
    public void Email_and_phone_numbers_are_validated()
    {
        NotificationTarget Email(params string[] to) => new() { Id = "abc", Kind = ChannelKind.Email, Name = "e", Email = new EmailTarget(to) };
        NotificationTarget Sms(params string[] to) => new() { Id = "abc", Kind = ChannelKind.Sms, Name = "s", Sms = new SmsTarget(to) };
        Email("a@example.org").Validate();
        Sms("+41791234567").Validate();
        Assert.Contains("'not-an-address' is not an e-mail address", Assert.Throws<ArgumentException>(Email("not-an-address").Validate).Message);
        Assert.Contains("is not an e-mail address", Assert.Throws<ArgumentException>(Email("Bob <b@example.org>").Validate).Message);
        Assert.Contains("E.164", Assert.Throws<ArgumentException>(Sms("0791234567").Validate).Message);
        Assert.Contains("E.164", Assert.Throws<ArgumentException>(Sms("+41 79 123").Validate).Message);
        Assert.Contains("needs its email settings", Assert.Throws<ArgumentException>((Email("a@example.org") with { Kind = ChannelKind.Sms, Sms = null, Email = new EmailTarget(["a@example.org"]) } with { Kind = ChannelKind.Email, Email = null }).Validate).Message);
        Assert.Contains("not a camera id", Assert.Throws<ArgumentException>((Email("a@example.org") with { Cameras = ["Cam 1"] }).Validate).Message);
    }
}
