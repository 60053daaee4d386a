using System.Threading.RateLimiting;
using Argus.Cluster;
using Argus.Core.Cameras;
using Argus.Core.Events;
using Argus.Core.Recording;
using Argus.Core.Security;
using Argus.Data;
using Argus.Data.Stores;
using Argus.Media.Export;
using Argus.Media.Ffmpeg;
using Argus.Media.Recording;
using Argus.Media.Retention;
using Argus.Media.Storage;
using Argus.Server.Api;
using Argus.Server.Hosting;
using Argus.Server.Monitoring;
using Argus.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Prometheus;

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
builder.Services.AddSingleton(TimeProvider.System);

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

// Media
builder.Services.Configure<FfmpegOptions>(cfg.GetSection("Ffmpeg"));
builder.Services.Configure<RecorderTuning>(cfg.GetSection("Recorder"));
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
builder.Services.AddSingleton<ExportCache>();
builder.Services.AddSingleton<DemoCamera>();
builder.Services.AddSingleton<Argus.Media.Live.SnapshotMaker>();
builder.Services.AddTransient<IStartupFilter, WebSocketsFirst>();

// Cluster: a single localhost silo by default; a multi-node cluster changes this configuration, not the grains.
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(cfg.GetValue("silo-port", 11111), cfg.GetValue("gateway-port", 30000), serviceId: "argus", clusterId: "argus");
});
builder.Services.AddHostedService<CameraHealthRelay>();
builder.Services.AddHostedService<StartupService>();
builder.Services.AddHostedService<RetentionService>();

// Security: every endpoint needs a token unless it says AllowAnonymous.
builder.Services.AddSingleton<TokenService>();
builder.Services.AddAuthentication(BearerAuthentication.SchemeName)
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthentication>(BearerAuthentication.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
    .AddPolicy(Policies.Configure, p => p.RequireRole(Policies.ConfigureRoles));
builder.Services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.AddPolicy("login", http => RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "?",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) }));
});
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi(o => o.AddDocumentTransformer<OpenApiSecurity>());

var app = builder.Build();
app.Lifetime.ApplicationStopping.Register(() => app.Services.GetRequiredService<RecorderHost>().DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapOpenApi().AllowAnonymous();
app.MapSystemEndpoints();
app.MapCameraEndpoints();
app.MapRecordingEndpoints();
app.MapLiveEndpoints();
app.MapEventEndpoints();
CameraMetrics.Register(app.Services);
app.MapMetrics().RequireAuthorization();

app.Run();
