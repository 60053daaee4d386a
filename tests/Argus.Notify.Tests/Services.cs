using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Argus.Notify.Tests;

/// <summary>Real test services (mosquitto, the SMTP sink) as child processes on free loopback ports, stopped by PID.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    public static string RepoRoot { get; } = FindRoot();

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static async Task<ServiceProcess> MosquittoAsync(int port, string dir)
    {
        var conf = Path.Combine(dir, $"mosquitto-{port}.conf");
        await File.WriteAllTextAsync(conf, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        var p = Start("/usr/sbin/mosquitto", "-c", conf);
        var service = new ServiceProcess(p, port);
        for (var i = 0; i < 100; i++)
        {
            if (p.HasExited) throw new InvalidOperationException($"mosquitto exited: {await p.StandardError.ReadToEndAsync()}");
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return service;
            }
            catch (SocketException) { await Task.Delay(50); }
        }
        service.Dispose();
        throw new TimeoutException("mosquitto did not listen");
    }

    public static async Task<ServiceProcess> SmtpSinkAsync(string mailDir)
    {
        var p = Start("/usr/bin/python3", "-u", Path.Combine(RepoRoot, "tools/testbed/smtp_sink.py"), "--port", "0", "--dir", mailDir);
        var port = 0;
        while (await p.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("PORT ", StringComparison.Ordinal)) port = int.Parse(line[5..]);
            if (line == "READY") return new ServiceProcess(p, port);
        }
        throw new InvalidOperationException($"smtp_sink.py exited: {await p.StandardError.ReadToEndAsync()}");
    }

    private static Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Argus.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
