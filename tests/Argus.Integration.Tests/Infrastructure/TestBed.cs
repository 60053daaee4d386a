using System.Diagnostics;

namespace Argus.Integration.Tests.Infrastructure;

/// <summary>A real RTSP server (GStreamer, tools/testbed/rtsp_server.py) on loopback, started and stopped by PID.</summary>
public sealed class TestBed : IDisposable
{
    private readonly string[] _args;
    private Process? _process;
    private readonly List<string> _log = [];

    public int Port { get; }
    public Dictionary<string, string> Mounts { get; } = new();

    private int _clients;
    private readonly List<(string Mount, DateTimeOffset At)> _onsets = [];

    /// <summary>When an --intruder camera's block started to cross the scene (ground truth for motion).</summary>
    public IReadOnlyList<DateTimeOffset> Onsets(string mount)
    {
        lock (_onsets) return [.. _onsets.Where(o => o.Mount == mount).Select(o => o.At)];
    }

    /// <summary>RTSP connections accepted since the last launch (reported by rtsp_server.py --stats).</summary>
    public int ClientConnections => Volatile.Read(ref _clients);

    private TestBed(int port, string[] args)
    {
        Port = port;
        _args = args;
    }

    public static TestBed Start(params string[] mountArgs) => StartOn(Ports.Free(), mountArgs);

    public static TestBed StartOn(int port, params string[] mountArgs)
    {
        var bed = new TestBed(port, mountArgs);
        bed.Launch();
        return bed;
    }

    public static TestBed StartBadServers(int httpPort, int garbagePort) =>
        StartScript("bad_servers.py", httpPort, ["--garbage-port", garbagePort.ToString()]);

    private static TestBed StartScript(string script, int port, string[] args)
    {
        var bed = new TestBed(port, args) { _script = script };
        bed.Launch();
        return bed;
    }

    private string _script = "rtsp_server.py";

    public string Url(string mount) => $"rtsp://127.0.0.1:{Port}/{mount}";

    private volatile bool _stopping;
    private int _crashes;

    /// <summary>Times the server died on its own and was started again (see <see cref="OnExited"/>).</summary>
    public int Crashes => Volatile.Read(ref _crashes);

    private void Launch()
    {
        _stopping = false;
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(Repo.Root, "tools", "testbed", _script));
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add(Port.ToString());
        foreach (var a in _args) psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("test bed did not start");
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var line = _process.StandardOutput.ReadLine();
            if (line is null) break;
            if (line.StartsWith("MOUNT ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 3);
                Mounts[parts[1]] = parts[2];
            }
            if (line == "READY")
            {
                _clients = 0;
                var launched = _process;
                launched.EnableRaisingEvents = true;
                launched.Exited += (_, _) => OnExited(launched);
                var stdout = _process.StandardOutput;
                // Keep reading: with --stats the server prints a CLIENT line per connection, and a full pipe would block it.
                _ = Task.Run(async () =>
                {
                    while (await stdout.ReadLineAsync() is { } l)
                    {
                        if (l.StartsWith("CLIENT ", StringComparison.Ordinal)) Interlocked.Increment(ref _clients);
                        if (l.StartsWith("ONSET ", StringComparison.Ordinal) && l.Split(' ') is [_, var mount, var ms])
                            lock (_onsets) _onsets.Add((mount, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ms, System.Globalization.CultureInfo.InvariantCulture))));
                    }
                });
                return;
            }
        }
        string log;
        lock (_log) log = string.Join('\n', _log);
        throw new InvalidOperationException($"test bed {_script} did not become ready: {log}");
    }

    /// <summary>Whether the server still runs, and the tail of what it wrote to stderr (for a failing test's message).</summary>
    public string Health()
    {
        var state = _process is null ? "stopped" : _process.HasExited ? $"exited with code {_process.ExitCode}" : "running";
        lock (_log) return $"test bed {state}, {Crashes} crash(es); stderr tail:\n{string.Join('\n', _log.TakeLast(20))}";
    }

    /// <summary>
    /// GStreamer's RTSP server (1.22) sometimes aborts when clients join a shared mount at once
    /// ("gst_rtsp_media_get_rates: assertion failed"), seen in the console tests. The test bed is the cameras, not the
    /// system under test: it comes back on the same port like a rebooted camera, and the crash stays in its log.
    /// </summary>
    private void OnExited(Process process)
    {
        if (_stopping || !ReferenceEquals(process, _process)) return;
        Interlocked.Increment(ref _crashes);
        lock (_log) _log.Add($"[TestBed] {_script} died (code {process.ExitCode}); started again on port {Port}");
        try { Launch(); }
        catch (Exception e) { lock (_log) _log.Add($"[TestBed] could not start again: {e.Message}"); }
    }

    /// <summary>Stops the server as a camera that loses power would: abruptly.</summary>
    public void Stop()
    {
        _stopping = true;
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts again on the same port with the same mounts.</summary>
    public void Restart()
    {
        Stop();
        Launch();
    }

    public void Dispose() => Stop();
}
