using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Argus.Integration.Tests.Infrastructure;

/// <summary>The real server process (as `./argus serve` runs it), on free loopback ports with its own data folder.</summary>
public sealed class ArgusServer : IAsyncDisposable
{
    public const string AdminPassword = "integration-test-pw";
    private Process? _process;
    private readonly string[] _extraArgs;
    private readonly int _siloPort = Ports.Free(), _gatewayPort = Ports.Free();
    private string? _token;
    private readonly StreamWriter _log;

    public string DataDir { get; }
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("server not started");
    public int HttpPort { get; } = Ports.Free();
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");
    public HttpClient Anonymous { get; }
    public HttpClient Client { get; }
    public string LogPath => Path.Combine(DataDir, "..", Path.GetFileName(DataDir) + ".log");

    private ArgusServer(string[] extraArgs, string? dataDir)
    {
        _extraArgs = extraArgs;
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "argus-it-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(DataDir);
        _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        Anonymous = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public static async Task<ArgusServer> StartAsync(params string[] extraArgs)
    {
        var s = new ArgusServer(extraArgs, null);
        await s.LaunchAsync();
        return s;
    }

    /// <summary>Starts on a data folder the test prepared (for example with an access-clock file in it).</summary>
    public static async Task<ArgusServer> StartInAsync(string dataDir, params string[] extraArgs)
    {
        var s = new ArgusServer(extraArgs, dataDir);
        await s.LaunchAsync();
        return s;
    }

    public async Task LaunchAsync()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDir,
        };
        psi.Environment["ARGUS_ADMIN_PASSWORD"] = AdminPassword;
        foreach (var a in new[] { Repo.ServerDll, "serve", "--data", DataDir, "--urls", BaseAddress.ToString().TrimEnd('/'),
                     "--silo-port", _siloPort.ToString(), "--gateway-port", _gatewayPort.ToString() }.Concat(_extraArgs))
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("server did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with {_process.ExitCode}; log: {ReadLog()}");
            try
            {
                using var r = await Anonymous.GetAsync("/api/health");
                if (r.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        _token = null;
        var token = await TokenAsync();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string ReadLog()
    {
        lock (_log)
        {
            using var fs = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(fs).ReadToEnd();
        }
    }

    public async Task<string> TokenAsync()
    {
        if (_token is not null) return _token;
        var r = await Anonymous.PostAsJsonAsync("/api/auth/token", new { user = "admin", password = AdminPassword });
        r.EnsureSuccessStatusCode();
        _token = (await r.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        return _token;
    }

    public async Task<string> AddCameraAsync(object body)
    {
        var r = await Client.PostAsJsonAsync("/api/cameras", body);
        if (r.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"add camera: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return (await r.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public async Task<JsonObject> CameraAsync(string id) => (await Client.GetFromJsonAsync<JsonObject>($"/api/cameras/{id}"))!;

    public async Task<List<Recording>> RecordingsAsync(string id, DateTimeOffset from, DateTimeOffset to) =>
        (await Client.GetFromJsonAsync<List<Recording>>($"/api/cameras/{id}/recordings?from={Iso(from)}&to={Iso(to)}", Json))!;

    public async Task<List<Event>> EventsAsync(string id) =>
        (await Client.GetFromJsonAsync<List<Event>>($"/api/events?camera={id}", Json))!;

    /// <summary>Polls until <paramref name="condition"/> holds or the timeout passes; returns whether it held.</summary>
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(250));
        }
        return await condition();
    }

    public static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Kills the server like a power cut: SIGKILL, no shutdown code runs.</summary>
    public void Crash()
    {
        _process?.Kill(entireProcessTree: false);
        _process?.WaitForExit(10000);
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            Native.Kill(_process.Id, 15);
            if (!_process.WaitForExit(20000)) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        finally
        {
            if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
            Anonymous.Dispose();
            Client.Dispose();
            _log.Dispose();
            // Keep the machine clean; assertions that need the log include it in their message.
            // ARGUS_KEEP_TEST_DATA=1 keeps the data folder and log for a post-mortem.
            try
            {
                if (Environment.GetEnvironmentVariable("ARGUS_KEEP_TEST_DATA") != "1")
                {
                    Directory.Delete(DataDir, recursive: true);
                    File.Delete(LogPath);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    public sealed record Recording(DateTimeOffset Start, DateTimeOffset End, long Bytes)
    {
        public TimeSpan Duration => End - Start;
    }

    public sealed record Event(long Id, string? Camera, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail);
}

internal static partial class Native
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);
}
