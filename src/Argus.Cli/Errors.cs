namespace Argus.Cli;

/// <summary>Exit codes of <c>argus</c>.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int ApiError = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
    public const int Cancelled = 130;
}

/// <summary>The server answered with an error: carries its RFC 7807 problem details.</summary>
public sealed class ApiException(int status, string? title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string? Title { get; } = title;
    public string Detail { get; } = detail;
}

/// <summary>No answer from the server: connection refused, unknown host, TLS failure or timeout.</summary>
public sealed class ServerUnreachableException(string server, string reason, Exception? inner = null)
    : Exception($"cannot reach server at {server}: {reason}", inner)
{
    public string Server { get; } = server;
    public string Reason { get; } = reason;
}

/// <summary>The command line asks for something that cannot be done (bad time, missing value, file exists).</summary>
public sealed class CliUsageException(string message) : Exception(message);
