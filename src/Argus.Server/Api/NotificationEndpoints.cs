using Argus.Core.Audit;
using Argus.Core.Notifications;
using Argus.Core.Time;
using Argus.Data.Stores;
using Argus.Notify;
using Argus.Notify.Channels;

namespace Argus.Server.Api;

/// <summary>
/// Notification targets (webhooks, e-mail, SMS), channel settings (SMTP, MQTT, SMS gateway), test sends and the
/// delivery log; admins only, every change audited. Secrets (webhook secret, passwords, gateway headers) are
/// write-only: reads say whether one is set, never what it is.
/// </summary>
public static class NotificationEndpoints
{
    /// <summary>Target fields; each kind uses its own (url and secret: webhook; to: e-mail addresses or E.164 numbers).
    /// On PUT only the fields given change; an omitted secret is kept.</summary>
    public sealed record TargetRequest(string? Name, string? Url, string? Secret, string[]? To, string[]? Events, string[]? Cameras, string[]? Rules,
        int? MaxPerMinute, double? DedupSeconds, bool? Enabled);

    public sealed record TargetDto(string Id, string Kind, string Name, string[] Events, string[] Cameras, string[] Rules, int MaxPerMinute,
        double DedupSeconds, bool Enabled, string? Url, bool? HasSecret, string[]? To, DateTimeOffset CreatedAt)
    {
        public static TargetDto From(NotificationTarget t) => new(t.Id, KindName(t.Kind), t.Name, [.. t.Events], [.. t.Cameras], [.. t.Rules],
            t.MaxPerMinute, t.DedupWindow.TotalSeconds, t.Enabled, t.Webhook?.Url, t.Webhook is null ? null : t.Webhook.Secret.Length > 0,
            t.Email is { } e ? [.. e.To] : t.Sms is { } s ? [.. s.To] : null, t.CreatedAt);
    }

    public sealed record DeliveryDto(long Id, string Target, string TargetName, string Kind, long EventId, string EventType, string State,
        DateTimeOffset Queued, DateTimeOffset? Sent, int Attempts, string Status, string? Error, double? LatencyMs)
    {
        public static DeliveryDto From(DeliveryRecord r) => new(r.Id, r.TargetId, r.TargetName, KindName(r.Kind), r.EventId, r.EventType, r.State,
            r.Queued, r.Sent, r.Attempts, r.Status, r.Error, r.LatencyMs);
    }

    /// <summary>SMTP settings; <c>password</c> is write-only (null keeps the stored one, "" removes it).</summary>
    public sealed record SmtpDto(string? Host, int? Port, string? Security, string? User, string? Password, string? From, bool? HasPassword);

    public sealed record MqttDto(string? Host, int? Port, string? User, string? Password, string? TopicPrefix, string? ClientId, bool? Enabled,
        bool? HasPassword, bool? Connected, string? LastError);

    /// <summary>SMS gateway; <c>headers</c> are write-only as a whole (null keeps the stored ones); reads list their names.</summary>
    public sealed record SmsGatewayDto(string? Url, string? Method, Dictionary<string, string>? Headers, string? BodyTemplate, string? ContentType,
        string[]? HeaderNames);

    private static string KindName(ChannelKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The stores, the channels and the dispatcher (also <see cref="IAlertPublisher"/>); options from "Notifications".</summary>
    public static IServiceCollection AddNotificationApi(this IServiceCollection services)
    {
        services.AddSingleton<INotificationTargetStore, NotificationTargetStore>();
        services.AddSingleton<INotificationSettingsStore, NotificationSettingsStore>();
        services.AddSingleton<IDeliveryLog, DeliveryLog>();
        services.AddOptions<NotificationOptions>().BindConfiguration("Notifications");
        return services.AddArgusNotifications();
    }

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.Configure);
        MapTargets(g, "/webhooks", ChannelKind.Webhook);
        MapTargets(g, "/email", ChannelKind.Email);
        MapTargets(g, "/sms", ChannelKind.Sms);

        g.MapGet("/targets", async (INotificationTargetStore store, CancellationToken ct) => Results.Ok((await store.ListAsync(ct)).Select(TargetDto.From)))
            .WithSummary("All notification targets (admins only)");

        g.MapPost("/targets/{id}/test", async (string id, HttpContext http, NotificationDispatcher dispatcher, IAuditLog audit, CancellationToken ct) =>
        {
            if (await dispatcher.SendTestAsync(id, ct) is not { } record) return Problems.NotFound("no such target (the MQTT broker is 'mqtt' when configured).");
            await audit.WriteAsync(http, AuditActions.NotifyTest, null, true, $"target={id} status={record.Status}");
            return Results.Ok(DeliveryDto.From(record));
        }).WithSummary("Send a test alert to a target now (no retries); the answer is its delivery record");

        g.MapGet("/deliveries", async (string? target, string? status, string? from, string? to, int? limit, IDeliveryLog log, CancellationToken ct) =>
        {
            if (status is not null && !DeliveryStatus.All.Contains(status)) return Problems.BadRequest($"status must be one of {string.Join(", ", DeliveryStatus.All)}.");
            if (!TimeRange.TryParseBounds(from, to, out var f, out var t, out var error)) return Problems.BadRequest(error!);
            if (limit is < 1 or > 10000) return Problems.BadRequest("limit must be between 1 and 10000.");
            var list = await log.QueryAsync(new DeliveryQuery(target, status, f, t, limit ?? 100), ct);
            return Results.Ok(list.Select(DeliveryDto.From));
        }).WithSummary("The delivery log, newest first: what was sent to which target, when, after how many attempts, and what failed");

        MapSettings(g);
    }

    private static void MapTargets(RouteGroupBuilder g, string path, ChannelKind kind)
    {
        var what = kind switch { ChannelKind.Webhook => "webhook", ChannelKind.Email => "e-mail target", _ => "SMS target" };

        g.MapGet(path, async (INotificationTargetStore store, CancellationToken ct) =>
            Results.Ok((await store.ListAsync(ct)).Where(t => t.Kind == kind).Select(TargetDto.From)))
            .WithSummary($"All {what}s");

        g.MapGet(path + "/{id}", async (string id, INotificationTargetStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } t && t.Kind == kind ? Results.Ok(TargetDto.From(t)) : Problems.NotFound($"no such {what}."))
            .WithSummary($"One {what}");

        g.MapPost(path, async (TargetRequest request, HttpContext http, INotificationTargetStore store, NotificationDispatcher dispatcher,
            IAuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            NotificationTarget target;
            try { target = Apply(request, New(kind, request, clock.GetUtcNow())); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await store.AddAsync(target, ct);
            await dispatcher.ReloadAsync(ct);
            await audit.WriteAsync(http, AuditActions.NotifyChange, null, true, $"add {KindName(kind)} id={target.Id} name={target.Name}");
            return Results.Created($"/api/notifications{path}/{target.Id}", TargetDto.From(target));
        }).WithSummary(kind == ChannelKind.Webhook
            ? "Add a webhook: {url, events, secret (16+ characters)}; each delivery is a JSON POST of the event signed in X-Argus-Signature (sha256=HMAC-SHA256 hex of the body)"
            : $"Add an {what}: {{to, events, cameras, rules, maxPerMinute, dedupSeconds}}");

        g.MapPut(path + "/{id}", async (string id, TargetRequest request, HttpContext http, INotificationTargetStore store, NotificationDispatcher dispatcher,
            IAuditLog audit, CancellationToken ct) =>
        {
            if (await store.GetAsync(id, ct) is not { } existing || existing.Kind != kind) return Problems.NotFound($"no such {what}.");
            NotificationTarget changed;
            try { changed = Apply(request, existing); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await store.UpdateAsync(changed, ct);
            await dispatcher.ReloadAsync(ct);
            await audit.WriteAsync(http, AuditActions.NotifyChange, null, true, $"change {KindName(kind)} id={id} name={changed.Name}{(request.Secret is null ? "" : " secret")}");
            return Results.Ok(TargetDto.From(changed));
        }).WithSummary($"Change an {what}; only the fields given change");

        g.MapDelete(path + "/{id}", async (string id, HttpContext http, INotificationTargetStore store, NotificationDispatcher dispatcher,
            IAuditLog audit, CancellationToken ct) =>
        {
            if (await store.GetAsync(id, ct) is not { } existing || existing.Kind != kind) return Problems.NotFound($"no such {what}.");
            await store.DeleteAsync(id, ct);
            await dispatcher.ReloadAsync(ct);
            await audit.WriteAsync(http, AuditActions.NotifyChange, null, true, $"remove {KindName(kind)} id={id} name={existing.Name}");
            return Results.NoContent();
        }).WithSummary($"Delete an {what} (its delivery log stays)");
    }

    private static NotificationTarget New(ChannelKind kind, TargetRequest r, DateTimeOffset now)
    {
        var defaultName = kind == ChannelKind.Webhook
            ? (Uri.TryCreate(r.Url, UriKind.Absolute, out var u) ? u.Host : "webhook")
            : r.To?.FirstOrDefault() ?? KindName(kind);
        return new NotificationTarget
        {
            Id = NotificationTarget.NewId(),
            Kind = kind,
            Name = r.Name ?? defaultName,
            CreatedAt = now,
            Webhook = kind == ChannelKind.Webhook ? new WebhookTarget(r.Url ?? "", r.Secret ?? throw new ArgumentException("secret is required.")) : null,
            Email = kind == ChannelKind.Email ? new EmailTarget(r.To ?? []) : null,
            Sms = kind == ChannelKind.Sms ? new SmsTarget(r.To ?? []) : null,
        };
    }

    /// <exception cref="ArgumentException">for fields of another kind and anything <see cref="NotificationTarget.Validate"/> refuses.</exception>
    private static NotificationTarget Apply(TargetRequest r, NotificationTarget t)
    {
        if (t.Kind != ChannelKind.Webhook && (r.Url is not null || r.Secret is not null)) throw new ArgumentException("url and secret belong to webhooks.");
        if (t.Kind == ChannelKind.Webhook && r.To is not null) throw new ArgumentException("a webhook has no 'to'; give its url.");
        if (r.DedupSeconds is { } d && (double.IsNaN(d) || d < 0 || d > 86400)) throw new ArgumentException("dedupSeconds must be 0-86400.");
        var changed = t with
        {
            Name = r.Name ?? t.Name,
            Events = r.Events ?? t.Events,
            Cameras = r.Cameras ?? t.Cameras,
            Rules = r.Rules ?? t.Rules,
            MaxPerMinute = r.MaxPerMinute ?? t.MaxPerMinute,
            DedupWindow = r.DedupSeconds is { } s ? TimeSpan.FromSeconds(s) : t.DedupWindow,
            Enabled = r.Enabled ?? t.Enabled,
            Webhook = t.Webhook is { } w ? new WebhookTarget(r.Url ?? w.Url, r.Secret ?? w.Secret) : null,
            Email = t.Email is not null && r.To is not null ? new EmailTarget(r.To) : t.Email,
            Sms = t.Sms is not null && r.To is not null ? new SmsTarget(r.To) : t.Sms,
        };
        changed.Validate();
        return changed;
    }

    private static void MapSettings(RouteGroupBuilder g)
    {
        var s = g.MapGroup("/settings");

        s.MapGet("/smtp", async (INotificationSettingsStore store, CancellationToken ct) =>
            await store.GetSmtpAsync(ct) is { } x ? Results.Ok(SmtpOut(x)) : Problems.NotFound("no SMTP server is configured."))
            .WithSummary("The SMTP server e-mail targets send through (the password is never returned)");

        s.MapPut("/smtp", async (SmtpDto r, HttpContext http, INotificationSettingsStore store, IAuditLog audit, CancellationToken ct) =>
        {
            var old = await store.GetSmtpAsync(ct);
            SmtpSettings next;
            try
            {
                next = new SmtpSettings
                {
                    Host = r.Host ?? "",
                    Port = r.Port ?? 587,
                    Security = r.Security switch
                    {
                        null or "starttls" => SmtpSecurity.StartTls,
                        "ssl" => SmtpSecurity.Ssl,
                        "none" => SmtpSecurity.None,
                        _ => throw new ArgumentException("security must be none, starttls or ssl."),
                    },
                    User = string.IsNullOrEmpty(r.User) ? null : r.User,
                    Password = KeepSecret(r.Password, old?.Password),
                    From = r.From ?? "",
                };
                next.Validate();
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await store.SaveSmtpAsync(next, ct);
            await audit.WriteAsync(http, AuditActions.NotifyChange, null, true, $"smtp host={next.Host}:{next.Port}{(r.Password is null ? "" : " password")}");
            return Results.Ok(SmtpOut(next));
        }).WithSummary("Set the SMTP server: host, port, security (none/starttls/ssl), user, password (write-only), from");

        s.MapGet("/mqtt", async (INotificationSettingsStore store, MqttChannel mqtt, CancellationToken ct) =>
            await store.GetMqttAsync(ct) is { } x ? Results.Ok(MqttOut(x, mqtt)) : Problems.NotFound("no MQTT broker is configured."))
            .WithSummary("The MQTT broker, with whether Argus is connected to it now (the password is never returned)");

        s.MapPut("/mqtt", async (MqttDto r, HttpContext http, INotificationSettingsStore store, NotificationDispatcher dispatcher, MqttChannel mqtt,
            IAuditLog audit, CancellationToken ct) =>
        {
            var old = await store.GetMqttAsync(ct);
            MqttSettings next;
            try
            {
                next = new MqttSettings
                {
                    Host = r.Host ?? "",
                    Port = r.Port ?? 1883,
                    User = string.IsNullOrEmpty(r.User) ? null : r.User,
                    Password = KeepSecret(r.Password, old?.Password),
                    TopicPrefix = r.TopicPrefix ?? "argus",
                    ClientId = r.ClientId ?? "argus",
                    Enabled = r.Enabled ?? true,
                };
                next.Validate();
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await store.SaveMqttAsync(next, ct);
            await dispatcher.ReloadAsync(ct);
            await audit.WriteAsync(http, AuditActions.NotifyChange, null, true, $"mqtt host={next.Host}:{next.Port} enabled={next.Enabled}{(r.Password is null ? "" : " password")}");
            return Results.Ok(MqttOut(next, mqtt));
        }).WithSummary("Set the MQTT broker: host, port, user, password (write-only), topicPrefix (argus), clientId, enabled; Argus connects at once");

        s.MapGet("/sms", async (INotificationSettingsStore store, CancellationToken ct) =>
            await store.GetSmsGatewayAsync(ct) is { } x ? Results.Ok(SmsOut(x)) : Problems.NotFound("no SMS gateway is configured."))
            .WithSummary("The HTTP SMS gateway (header values are never returned)");

        s.MapPut("/sms", async (SmsGatewayDto r, HttpContext http, INotificationSettingsStore store, IAuditLog audit, CancellationToken ct) =>
        {
            var old = await store.GetSmsGatewayAsync(ct);
            SmsGatewaySettings next;
            try
            {
                next = new SmsGatewaySettings
                {
                    Url = r.Url ?? "",
                    Method = (r.Method ?? "POST").ToUpperInvariant(),
                    Headers = r.Headers ?? old?.Headers ?? new Dictionary<string, string>(),
                    BodyTemplate = r.BodyTemplate ?? """{"to":"{to}","text":"{text}"}""",
                    ContentType = r.ContentType ?? "application/json",
                };
                next.Validate();
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await store.SaveSmsGatewayAsync(next, ct);
            await audit.WriteAsync(http, AuditActions.NotifyChange, null, true, $"sms gateway url={new Uri(next.Url.Replace("{", "").Replace("}", "")).Host}{(r.Headers is null ? "" : " headers")}");
            return Results.Ok(SmsOut(next));
        }).WithSummary("Set the SMS gateway: url and bodyTemplate with {to} and {text}, method, contentType, headers (write-only, e.g. the token)");

        s.MapDelete("/{channel}", async (string channel, HttpContext http, INotificationSettingsStore store, NotificationDispatcher dispatcher,
            IAuditLog audit, CancellationToken ct) =>
        {
            switch (channel)
            {
                case "smtp": await store.SaveSmtpAsync(null, ct); break;
                case "mqtt": await store.SaveMqttAsync(null, ct); await dispatcher.ReloadAsync(ct); break;
                case "sms": await store.SaveSmsGatewayAsync(null, ct); break;
                default: return Problems.NotFound("channel must be smtp, mqtt or sms.");
            }
            await audit.WriteAsync(http, AuditActions.NotifyChange, null, true, $"remove {channel} settings");
            return Results.NoContent();
        }).WithSummary("Remove a channel's settings (smtp, mqtt or sms)");
    }

    /// <summary>Write-only secrets: null keeps the stored value, "" removes it.</summary>
    private static string? KeepSecret(string? given, string? stored) => given is null ? stored : given.Length == 0 ? null : given;

    private static SmtpDto SmtpOut(SmtpSettings x) =>
        new(x.Host, x.Port, x.Security.ToString().ToLowerInvariant(), x.User, null, x.From, x.Password is not null);

    private static MqttDto MqttOut(MqttSettings x, MqttChannel mqtt) =>
        new(x.Host, x.Port, x.User, null, x.TopicPrefix, x.ClientId, x.Enabled, x.Password is not null, mqtt.IsConnected, mqtt.LastError);

    private static SmsGatewayDto SmsOut(SmsGatewaySettings x) => new(x.Url, x.Method, null, x.BodyTemplate, x.ContentType, [.. x.Headers.Keys]);
}
