using System.CommandLine;
using Argus.Cli.Api;
using Argus.Core.Cameras;
using Spectre.Console;

namespace Argus.Cli;

/// <summary>One invocation: resolves server and token (option, then environment, then the saved login) and reads arguments.</summary>
public sealed class CliContext
{
    private readonly CliApp app;
    private readonly ParseResult parse;
    private readonly Lazy<CliConfig> saved;
    private readonly Lazy<Uri> server;

    public CliContext(CliApp app, ParseResult parse)
    {
        this.app = app;
        this.parse = parse;
        ConfigFile = new CliConfigFile(CliConfigFile.DefaultPath(app.Env.Variable));
        saved = new Lazy<CliConfig>(ConfigFile.Load);
        server = new Lazy<Uri>(ResolveServer);
    }

    public CliEnvironment Env => app.Env;

    public IAnsiConsole Console => app.Env.Console;

    public ParseResult Parse => parse;

    public CliConfigFile ConfigFile { get; }

    public bool Json => parse.GetValue(app.JsonOption);

    public DateTimeOffset Now => app.Env.Now();

    public Uri Server => server.Value;

    public string ServerDisplay => SourceUrl.Redact(Server.AbsoluteUri.TrimEnd('/'));

    public T? Value<T>(Option<T> option) => parse.GetValue(option);

    public T? Value<T>(Argument<T> argument) => parse.GetValue(argument);

    /// <summary>Whether the option was given on the command line (as opposed to defaulted).</summary>
    public bool Given(Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>A client for the resolved server. A saved token is only sent to the server it was issued by.</summary>
    public ApiClient Client(bool authenticate = true)
    {
        string? token = null;
        if (authenticate)
        {
            token = parse.GetValue(app.TokenOption) ?? Variable("ARGUS_TOKEN");
            if (token is null && saved.Value is { Token: { Length: > 0 } t, Server: { } s } && SameServer(s, Server))
                token = t;
        }
        return new ApiClient(Server, token, app.Env.HttpHandler);
    }

    public static Uri NormalizeServer(string text)
    {
        var s = text.Trim();
        if (!s.Contains("://", StringComparison.Ordinal)) s = "http://" + s;
        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            throw new CliUsageException($"'{SourceUrl.Redact(text)}' is not a server URL; use e.g. {CliApp.DefaultServer}.");
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new CliUsageException("the server URL must not have a query or fragment.");
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    public static bool SameServer(string a, Uri b)
    {
        try { return string.Equals(NormalizeServer(a).AbsoluteUri, b.AbsoluteUri, StringComparison.OrdinalIgnoreCase); }
        catch (CliUsageException) { return false; }
    }

    private Uri ResolveServer() => NormalizeServer(
        parse.GetValue(app.ServerOption) ?? Variable("ARGUS_SERVER") ?? saved.Value.Server ?? CliApp.DefaultServer);

    private string? Variable(string name) => app.Env.Variable(name) is { Length: > 0 } v ? v : null;

    public string CameraId(Argument<string> argument)
    {
        var id = parse.GetValue(argument)?.Trim() ?? "";
        return Argus.Core.Cameras.CameraId.IsValid(id)
            ? id
            : throw new CliUsageException($"'{id}' is not a camera id (see the ids in 'argus cameras list').");
    }

    /// <summary>A time option; <paramref name="fallback"/> (itself a time argument such as "now") when not given.</summary>
    public DateTimeOffset? Time(Option<string> option, string? fallback = null)
    {
        var text = parse.GetValue(option) ?? fallback;
        if (text is null) return null;
        return TimeArg.TryParse(text, Now, null, out var value, out var error)
            ? value
            : throw new CliUsageException($"{option.Name}: {error}");
    }

    public (DateTimeOffset From, DateTimeOffset To) Range(Option<string> from, Option<string> to, string? defaultFrom = null, string? defaultTo = "now")
    {
        var f = Time(from, defaultFrom) ?? throw new CliUsageException($"{from.Name} is required.");
        var t = Time(to, defaultTo) ?? throw new CliUsageException($"{to.Name} is required.");
        if (t <= f) throw new CliUsageException($"{to.Name} ({Format.Time(t)}) must be after {from.Name} ({Format.Time(f)}).");
        return (f, t);
    }

    /// <summary>
    /// A secret from the first line of standard input (<paramref name="fromStdin"/>), else the environment variable,
    /// else a masked prompt when someone is at the console. Null when none of those is possible.
    /// </summary>
    public string? Secret(bool fromStdin, string? variable, string prompt, bool allowEmpty = false)
    {
        if (fromStdin)
        {
            var line = app.Env.In.ReadLine();
            return line is null ? throw new CliUsageException("--password-stdin: nothing on standard input.") : line.TrimEnd('\r', '\n');
        }
        if (variable is not null && Variable(variable) is { } v) return v;
        if (!app.Env.Interactive) return null;
        var text = new TextPrompt<string>(prompt).Secret();
        if (allowEmpty) text.AllowEmpty();
        return Console.Prompt(text);
    }

    /// <summary>The server's JSON exactly as it came, for scripts.</summary>
    public void WriteJson(string json)
    {
        if (json.Length > 0) app.Env.Out.WriteLine(json);
    }
}
