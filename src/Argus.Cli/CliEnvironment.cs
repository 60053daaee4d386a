using Spectre.Console;

namespace Argus.Cli;

/// <summary>Everything the commands take from the outside world, so that tests can run them in-process.</summary>
public sealed class CliEnvironment
{
    /// <summary>Tables, progress and prompts.</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>Plain standard output: <c>--json</c> goes here unwrapped and uncoloured.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Error messages.</summary>
    public required IAnsiConsole Error { get; init; }

    public required TextReader In { get; init; }

    public required Func<string, string?> Variable { get; init; }

    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.Now;

    /// <summary>Whether a person is at the keyboard (prompts and progress bars make sense).</summary>
    public bool Interactive { get; init; }

    public HttpMessageHandler? HttpHandler { get; init; }

    public static CliEnvironment FromProcess()
    {
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        if (System.Console.IsErrorRedirected) error.Profile.Width = 1000; // one message, one line, for logs and scripts
        return new CliEnvironment
        {
            Console = AnsiConsole.Console,
            Out = System.Console.Out,
            Error = error,
            In = System.Console.In,
            Variable = Environment.GetEnvironmentVariable,
            Interactive = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected,
        };
    }
}
