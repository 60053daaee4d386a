using System.Diagnostics;

namespace Argus.Bench.Latency;

/// <summary>The RTSP test bed started through tools/testbed/testbed.sh (waits for READY, stops the
/// whole process group), in a private run directory so benches and tests never collide.</summary>
public sealed class TestBedProcess : IAsyncDisposable
{
    private readonly string _script;
    private readonly string _run;

    public int Port { get; }

    private TestBedProcess(string script, string run, int port)
    {
        _script = script;
        _run = run;
        Port = port;
    }

    public string Url(string mount) => $"rtsp://127.0.0.1:{Port}/{mount}";

    public static async Task<TestBedProcess> StartAsync(params string[] mountArgs)
    {
        var script = Path.Combine(RepoRoot(), "tools", "testbed", "testbed.sh");
        var run = Directory.CreateTempSubdirectory("argus-latency-bed-").FullName;
        await RunAsync(script, run, ["start", "bed", "--", "rtsp", "--port", "0", .. mountArgs]);
        var port = int.Parse((await RunAsync(script, run, ["port", "bed"])).Trim());
        return new TestBedProcess(script, run, port);
    }

    private static async Task<string> RunAsync(string script, string run, string[] args)
    {
        var psi = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TESTBED_RUN"] = run;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{script} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"testbed.sh {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    internal static string RepoRoot()
    {
        // Works from bin/ of this project or of a test project, and from the repository as working directory.
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Argus.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Argus.sln) not found");
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(_script, _run, ["stop", "bed"]);
        Directory.Delete(_run, recursive: true);
    }
}
