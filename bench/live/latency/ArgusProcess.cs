using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Argus.Bench.Latency;

/// <summary>The Argus server as built in the repository (Release if built, else Debug), on a free port and a temp data folder.</summary>
public sealed class ArgusProcess : IAsyncDisposable
{
    public const string AdminPassword = "latency-bench-pw";
    private readonly Process _process;
    private readonly string _data;

    public string BaseUrl { get; }

    private ArgusProcess(Process process, string data, string baseUrl) => (_process, _data, BaseUrl) = (process, data, baseUrl);

    public static async Task<ArgusProcess> StartAsync()
    {
        var root = TestBedProcess.RepoRoot();
        var dll = new[] { "Release", "Debug" }.Select(c => Path.Combine(root, "src", "Argus.Server", "bin", c, "net10.0", "argus-server.dll")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("build the server first: dotnet build src/Argus.Server");
        var data = Directory.CreateTempSubdirectory("argus-latency-data-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "serve", "--data", data, "--urls", url, "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString() })
            psi.ArgumentList.Add(a);
        psi.Environment["ARGUS_ADMIN_PASSWORD"] = AdminPassword;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        for (var i = 0; i < 240; i++)
        {
            try { if ((await http.GetAsync("/api/health")).IsSuccessStatusCode) return new ArgusProcess(process, data, url); }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        process.Kill(true);
        throw new InvalidOperationException("server did not answer /api/health within 60 s");
    }

    /// <summary>Adds a camera as admin and returns its id.</summary>
    public async Task<string> AddCameraAsync(string name, string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var login = await http.PostAsJsonAsync("/api/auth/token", new { user = "admin", password = AdminPassword });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var added = await http.PostAsJsonAsync("/api/cameras", new { name, mainUrl = url, analysis = new { enabled = false } });
        if (added.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"adding the camera failed: {await added.Content.ReadAsStringAsync()}");
        return (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        Directory.Delete(_data, recursive: true);
    }
}
