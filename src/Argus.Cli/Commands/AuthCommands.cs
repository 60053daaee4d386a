using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Argus.Cli.Commands;

public static class AuthCommands
{
    public static Command Login(CliApp app)
    {
        var user = new Option<string>("--user", "-u") { Description = "User name", Required = true, HelpName = "NAME" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (else env ARGUS_PASSWORD, else a prompt)" };
        var command = new Command("login", "Log in to a server and save its token for later commands") { user, passwordStdin };
        app.Handle(command, async (ctx, ct) =>
        {
            var name = ctx.Value(user)!;
            var password = ctx.Secret(ctx.Value(passwordStdin), "ARGUS_PASSWORD", $"Password for [bold]{name.EscapeMarkup()}[/]:")
                ?? throw new CliUsageException("no password: use --password-stdin, set ARGUS_PASSWORD, or run in a terminal to be asked.");
            using var client = ctx.Client(authenticate: false);
            var reply = await client.LoginAsync(name, password, ct);
            ctx.ConfigFile.Save(new CliConfig { Server = client.Server.AbsoluteUri.TrimEnd('/'), Token = reply.Token, Expires = reply.Expires });
            if (ctx.Json)
                ctx.WriteJson(JsonSerializer.Serialize(new { server = ctx.ServerDisplay, user = name, expires = reply.Expires, config = ctx.ConfigFile.Path }));
            else
                ctx.Console.MarkupLineInterpolated(
                    $"Logged in to [bold]{ctx.ServerDisplay}[/] as [bold]{name}[/]; the token expires {Format.Time(reply.Expires)} (saved in {ctx.ConfigFile.Path}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Logout(CliApp app)
    {
        var command = new Command("logout", "Forget the saved token (it stays valid on the server until it expires)");
        app.Handle(command, (ctx, _) =>
        {
            var config = ctx.ConfigFile.Load();
            if (config.Token is not null) ctx.ConfigFile.Save(config with { Token = null, Expires = null });
            if (!ctx.Json) ctx.Console.MarkupLine(config.Token is null ? "Not logged in." : "Logged out.");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
