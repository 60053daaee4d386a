using Argus.Analytics.Arming;
using Argus.Cluster;
using Argus.Cluster.Analysis;
using Argus.Core.Alarms;
using Argus.Core.Analysis;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Events;
using Argus.Core.Recording;
using Argus.Core.Security;
using Argus.Core.Time;
using Argus.Data;
using Argus.Data.Stores;
using Argus.Media.Export;
using Argus.Media.Ffmpeg;
using Argus.Media.Recording;
using Argus.Media.Retention;
using Argus.Media.Storage;
using Argus.Server.Api;
using Argus.Server.ConsoleUi;
using Argus.Server.Events;
using Argus.Server.Hosting;
using Argus.Server.Monitoring;
using Argus.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

if (args.Length > 0 && args[0] == "audit") return await AuditCommand.RunAsync(args[1..]);

// Before any metric exists: prometheus-net's default event-counter and meter adapters poll every second.
Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true });
// Config files are read once from the install folder: a reload watcher on the working directory would also watch
// every recording written below it.
Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = CommandLine.Normalize(args), ContentRootPath = AppContext.BaseDirectory });
var cfg = builder.Configuration;
if (string.IsNullOrEmpty(cfg["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
    builder.WebHost.UseUrls("http://127.0.0.1:8080");

var paths = new ArgusPaths(cfg["data"] ?? "data");
builder.Services.AddSingleton(paths);
// Every timer from DI (ours and Orleans') wakes the process less often; Timers:Coalesce=false for the plain clock.
builder.Services.AddSingleton<TimeProvider>(cfg.GetValue("Timers:Coalesce", true)
    ? new CoalescingTimeProvider(TimeProvider.System, ownThread: cfg.GetValue("Timers:OwnThread", true))
    : TimeProvider.System);

// Logs: structured; request lines are off because query strings may carry times and names worth keeping out of logs.
builder.Logging.ClearProviders();
if (cfg.GetValue<bool>("json-logs")) builder.Logging.AddJsonConsole();
else builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.Logging.AddFilter("Polly", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Orleans", LogLevel.Warning);

// Data
builder.Services.AddArgusSqlite(paths.Database);
builder.Services.AddDataProtection().SetApplicationName("Argus").PersistKeysToFileSystem(new DirectoryInfo(paths.Keys));
builder.Services.AddSingleton<ISecretProtector, DataProtectionSecrets>();
builder.Services.AddSingleton<ICameraStore, CameraStore>();
builder.Services.AddSingleton<ISegmentIndex, SegmentIndex>();
builder.Services.AddSingleton<IEventLog, EventLog>();
builder.Services.AddSingleton<IEvidenceLocks, EvidenceLocks>();
builder.Services.AddSingleton<IUserStore, UserStore>();
builder.Services.AddSingleton<IGrantStore, GrantStore>();
builder.Services.AddSingleton<IViewStore, ViewStore>();
builder.Services.AddSingleton<IZoneStore, ZoneStore>();
builder.Services.AddSingleton<IRuleStore, RuleStore>();
builder.Services.AddSingleton<ILineStore, LineStore>();
builder.Services.AddSingleton<IObjectRuleStore, ObjectRuleStore>();
builder.Services.AddSingleton<ICountStore, CountStore>();
builder.Services.AddSingleton<ITimeProfileStore, TimeProfileStore>();
builder.Services.AddSingleton<IArmingStore, ArmingStore>();
builder.Services.AddSingleton(AuditFiles.In(paths.Keys));
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLog>());

// Media
builder.Services.Configure<FfmpegOptions>(cfg.GetSection("Ffmpeg"));
builder.Services.AddOptions<RecorderTuning>().Bind(cfg.GetSection("Recorder"))
    .Validate(t => RecordCommand.FragmentError(t.FragmentDuration) is null,
        $"Recorder:FragmentDuration: {RecordCommand.FragmentError(TimeSpan.Zero)}")
    .ValidateOnStart();
builder.Services.Configure<RetentionOptions>(o =>
{
    cfg.GetSection("Retention").Bind(o);
    if (CommandLine.ParseSize(cfg["quota"]) is { } quota) o.QuotaBytes = quota;
    if (CommandLine.ParseSize(cfg["min-free"]) is { } minFree) o.MinFreeBytes = minFree;
    if (cfg.GetValue<double?>("retention-interval") is { } seconds) o.Interval = TimeSpan.FromSeconds(seconds);
});
builder.Services.AddSingleton(new RecordingLayout(paths.Recordings));
builder.Services.AddSingleton<RecordingMetrics>();
builder.Services.AddSingleton<MediaProbe>();
builder.Services.AddSingleton<SegmentFinalizer>();
builder.Services.AddSingleton<RecorderHost>();
builder.Services.AddSingleton<Reconciler>();
builder.Services.AddSingleton<IDiskSpace, DriveDiskSpace>();
builder.Services.AddSingleton<StorageGate>();
builder.Services.AddSingleton<RetentionEnforcer>();
builder.Services.AddSingleton<ClipExporter>();
// Privacy masks are zones of kind "privacy"; every way video leaves the server (and recording, for privacy-critical cameras) asks.
builder.Services.AddSingleton<Argus.Core.Privacy.ICameraPrivacy, CameraPrivacyStore>();
builder.Services.AddSingleton<Argus.Media.Privacy.MaskedPlayback>();
builder.Services.AddSingleton<ExportCache>();
builder.Services.AddSingleton<Argus.Media.Live.HlsWindows>();
builder.Services.AddSingleton<Argus.Server.Api.HlsAudit>();
builder.Services.AddSingleton<DemoCamera>();
builder.Services.AddSingleton<Argus.Media.Live.SnapshotMaker>();
builder.Services.AddTransient<IStartupFilter, WebSocketsFirst>();

// Analysis: motion, zones, rules, tamper per camera; events pushed to the console and notifiers.
builder.Services.AddSingleton<ArmingService>();
builder.Services.AddSingleton(sp => new EventSnapshots(sp.GetRequiredService<Argus.Media.Live.SnapshotMaker>(), paths.Events,
    sp.GetRequiredService<ILogger<EventSnapshots>>()));
builder.Services.AddSingleton<IEventPublisher, EventBroadcaster>();
// Objects: one detector for every camera; its model is configuration (--detector-model, Detector:Model).
builder.Services.AddSingleton(sp => DetectorHost.Open(DetectorHost.OptionsFor(
    cfg["detector-model"] ?? cfg["Detector:Model"] ?? paths.DefaultDetectorModel,
    Enum.TryParse<Argus.Vision.Detection.DetectorLayout>(cfg["Detector:Layout"], true, out var layout) ? layout : Argus.Vision.Detection.DetectorLayout.Auto,
    cfg.GetValue("Detector:Threads", Math.Min(Environment.ProcessorCount, 4))), configured: cfg["detector-model"] is not null || cfg["Detector:Model"] is not null,
    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Argus.Detector"),
    DetectorHost.DefaultService with { Capacity = cfg.GetValue("Detector:QueueCapacity", DetectorHost.DefaultService.Capacity) }));
builder.Services.AddSingleton(sp => new AnalysisServices(sp.GetRequiredService<IEventLog>(), sp.GetRequiredService<IEventPublisher>(),
    sp.GetRequiredService<EventSnapshots>(), sp.GetRequiredService<ArmingService>(), sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FfmpegOptions>>().Value.FfmpegPath)
{
    Counts = sp.GetRequiredService<ICountStore>(),
    Detector = sp.GetRequiredService<DetectorHost>(),
});
builder.Services.AddSingleton<AnalysisHost>();
builder.Services.AddSignalR();

// Cluster: a single localhost silo by default; a multi-node cluster changes this configuration, not the grains.
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(cfg.GetValue("silo-port", 11111), cfg.GetValue("gateway-port", 30000), serviceId: "argus", clusterId: "argus");
    // Load statistics only place new grains (cameras are added rarely): publishing them every second was a fixed
    // part of an idle server's CPU.
    silo.Configure<Orleans.Configuration.DeploymentLoadPublisherOptions>(o => o.DeploymentLoadPublisherRefreshTime = TimeSpan.FromSeconds(30));
});
// Orleans' statistics provider polls every runtime event counter each second; ours measures when asked.
builder.Services.RemoveAll<Orleans.Statistics.IEnvironmentStatisticsProvider>();
builder.Services.AddSingleton<Orleans.Statistics.IEnvironmentStatisticsProvider, ProcessStatisticsProvider>();
// After the silo (hosted services start in order): its stall detector then samples once a second, not ten times.
builder.Services.AddHostedService<StallDetectorCadence>();
builder.Services.AddHostedService<CameraHealthRelay>();
builder.Services.AddHostedService<StartupService>();
builder.Services.AddHostedService<RetentionService>();
builder.Services.AddNotificationApi();
builder.Services.AddSingleton<IEventSubscriber, NotificationSubscriber>();
builder.Services.AddSingleton<ArmingBridge>();
builder.Services.AddSingleton<Argus.Core.Notifications.IArmingCommands>(sp => sp.GetRequiredService<ArmingBridge>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<ArmingBridge>());

// Security: every endpoint needs a bearer token or a console session unless it says AllowAnonymous.
builder.Services.AddSingleton<TokenService>();
builder.Services.AddSingleton<LoginService>();
builder.Services.AddSingleton(sp => new AccessClock(sp.GetRequiredService<TimeProvider>(), cfg["access-clock-file"]));
builder.Services.AddSingleton<CameraAccess>();
builder.Services.AddArgusAuthentication();
builder.Services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
    .AddPolicy(Policies.Configure, p => p.RequireRole(Policies.ConfigureRoles))
    .AddPolicy(Policies.Investigate, p => p.RequireRole(Policies.InvestigateRoles));
builder.Services.AddAntiforgery();

// Console: Blazor (server interactivity); it acts through the REST API as the signed-in user.
builder.WebHost.UseStaticWebAssets(); // blazor.web.js and wwwroot when run from a build folder, not only when published
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<ConsoleForwarding>();
builder.Services.AddScoped<ConsoleApi>();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi(o => o.AddDocumentTransformer<OpenApiSecurity>());

var app = builder.Build();
app.Lifetime.ApplicationStopping.Register(() =>
{
    app.Services.GetRequiredService<AnalysisHost>().DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    app.Services.GetRequiredService<RecorderHost>().DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
});

app.UseExceptionHandler();
app.UseStatusCodePages();
var forwarding = app.Services.GetRequiredService<ConsoleForwarding>();
app.Use((http, next) => { forwarding.Apply(http); return next(http); });
app.UseAuthentication();
app.UseSessionCsrfGuard();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi().AllowAnonymous();
app.MapSystemEndpoints();
app.MapCameraEndpoints();
app.MapRecordingEndpoints();
app.MapLiveEndpoints();
app.MapEventEndpoints();
app.MapUserEndpoints();
app.MapAuditEndpoints();
app.MapNotificationEndpoints();
app.MapConsoleEndpoints();
app.MapZoneEndpoints();
app.MapObjectEndpoints();
app.MapAlarmEndpoints();
app.MapHub<EventHub>(EventHub.Path);
app.MapStaticAssets().AllowAnonymous();
app.MapRazorComponents<Argus.Server.ConsoleUi.App>().AddInteractiveServerRenderMode();
CameraMetrics.Register(app.Services);
app.MapMetrics().RequireAuthorization();

await app.RunAsync();
return 0;
