using System.CommandLine;
using Argus.Cli.Commands;
using Spectre.Console;

namespace Argus.Cli;

/// <summary>The <c>argus</c> command tree and its exit codes: 0 ok, 1 API error, 2 usage error, 3 server unreachable.</summary>
public sealed class CliApp
{
    public const string DefaultServer = "http://127.0.0.1:8080";

    public Option<string?> ServerOption { get; } = new("--server")
    {
        Description = $"Argus server URL (env ARGUS_SERVER; default: the one logged in to, else {DefaultServer})",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> TokenOption { get; } = new("--token")
    {
        Description = "Bearer token to use instead of the saved one (env ARGUS_TOKEN)",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print the server's JSON instead of tables",
        Recursive = true,
    };

    public CliEnvironment Env { get; }

    public RootCommand Root { get; }

    public CliApp(CliEnvironment env)
    {
        Env = env;
        Root = new RootCommand("argus: command-line client for the Argus video surveillance server")
        {
            ServerOption, TokenOption, JsonOption,
        };
        Root.HelpName = "argus";
        Root.Add(AuthCommands.Login(this));
        Root.Add(AuthCommands.Logout(this));
        Root.Add(SystemCommands.Health(this));
        Root.Add(CameraCommands.Create(this));
        Root.Add(RecordingCommands.Recordings(this));
        Root.Add(RecordingCommands.Export(this));
        Root.Add(RecordingCommands.Locks(this));
        Root.Add(SystemCommands.Events(this));
        Root.Add(SystemCommands.Storage(this));
    }

    public static Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct = default) => new CliApp(env).RunAsync(args, ct);

    public async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        var parse = Root.Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = Env.Out,
            Error = Env.Error.Profile.Out.Writer,
            EnableDefaultExceptionHandler = false,
        };
        if (parse.Errors.Count > 0)
        {
            await parse.InvokeAsync(invocation, ct); // prints the errors and help
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(invocation, ct);
    }

    /// <summary>Gives <paramref name="command"/> an action that maps failures to exit codes and messages, never stack traces.</summary>
    public void Handle(Command command, Func<CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            var context = new CliContext(this, parse);
            try
            {
                return await action(context, ct);
            }
            catch (CliUsageException e)
            {
                ShowError(e.Message);
                return ExitCodes.Usage;
            }
            catch (ApiException e)
            {
                ShowError(e.Detail + Hint(e, context));
                return ExitCodes.ApiError;
            }
            catch (ServerUnreachableException e)
            {
                ShowError(e.Message);
                return ExitCodes.Unreachable;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                ShowError("cancelled.");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ShowError(e.Message);
                return ExitCodes.ApiError;
            }
            catch (Exception e)
            {
                ShowError(Env.Variable("ARGUS_DEBUG") is { Length: > 0 } ? e.ToString() : $"unexpected {e.GetType().Name}: {e.Message}");
                return ExitCodes.ApiError;
            }
        });

    private static string Hint(ApiException e, CliContext context) => e.Status switch
    {
        401 when context.Parse.CommandResult.Command.Name == "login" => "",
        401 => $" (log in with: argus login --server {context.ServerDisplay} --user NAME)",
        403 => " (this needs an admin user)",
        _ => "",
    };

    public void ShowError(string message) => Env.Error.MarkupLine($"[red]error:[/] {message.EscapeMarkup()}");
}
