using System.CommandLine;
using Argus.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Argus.Cli.Commands;

public static class CameraCommands
{
    public static Command Create(CliApp app)
    {
        var command = new Command("cameras", "List, add, change and remove cameras");
        command.Add(List(app));
        command.Add(Show(app));
        command.Add(Add(app));
        command.Add(Update(app));
        command.Add(SetPaused(app, "pause", "Stop recording a camera", paused: true));
        command.Add(SetPaused(app, "resume", "Resume recording a camera", paused: false));
        command.Add(Remove(app));
        return command;
    }

    internal static Argument<string> IdArgument() => new("id") { Description = "Camera id (see 'argus cameras list')" };

    private static Command List(CliApp app)
    {
        var command = new Command("list", "Cameras with their health");
        command.Aliases.Add("ls");
        app.Handle(command, async (ctx, ct) =>
        {
            using var client = ctx.Client();
            var reply = await client.CamerasAsync(ct);
            if (ctx.Json) { ctx.WriteJson(reply.Json); return ExitCodes.Ok; }
            if (reply.Value.Count == 0)
            {
                ctx.Console.MarkupLine("No cameras yet; add one with [bold]argus cameras add --name NAME --main URL[/].");
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Name").AddColumn("Id").AddColumn("Status")
                .AddColumn(new TableColumn("FPS").RightAligned()).AddColumn(new TableColumn("kb/s").RightAligned())
                .AddColumn("Last frame").AddColumn(new TableColumn("Restarts").RightAligned()).AddColumn("Error");
            foreach (var c in reply.Value.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase))
                table.AddRow(
                    new Text(c.Name), new Text(c.Id), Status(c),
                    new Text(Format.Number(c.Fps)), new Text(Format.Number(c.BitrateKbps, "0")),
                    new Text(Format.Ago(c.LastFrameAt, ctx.Now)), new Text(c.Restarts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Text(c.LastError ?? "", new Style(Color.Red)));
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliApp app)
    {
        var id = IdArgument();
        var command = new Command("show", "One camera in detail") { id };
        app.Handle(command, async (ctx, ct) =>
        {
            using var client = ctx.Client();
            var reply = await client.CameraAsync(ctx.CameraId(id), ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else WriteCamera(ctx, reply.Value);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteCamera(CliContext ctx, Camera c)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, IRenderable value) => grid.AddRow(new Markup($"[grey]{name}[/]"), value);
        void Line(string name, string? value) => Row(name, new Text(value ?? "-"));
        Line("Name", c.Name);
        Line("Id", c.Id);
        Row("Status", Status(c));
        Line("Since", Format.Time(c.StatusSince));
        Line("Main stream", c.MainUrl);
        Line("Substream", c.SubUrl);
        Line("Credentials", c.HasCredentials ? "set (not shown)" : "none");
        Line("Transport", c.Transport);
        Line("Location", c.Location);
        Line("Description", c.Description);
        Line("Paused", c.Paused ? "yes" : "no");
        Line("Retention", c.RetentionDays is { } d ? Format.Number(d, "0.##") + " days" : "until disk is needed");
        Line("FPS", Format.Number(c.Fps));
        Line("Bitrate", Format.Number(c.BitrateKbps, "0") + " kb/s");
        Line("Last frame", c.LastFrameAt is null ? "never" : $"{Format.Time(c.LastFrameAt)} ({Format.Ago(c.LastFrameAt, ctx.Now)})");
        Line("Restarts", c.Restarts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (c.LastError is not null) Row("Last error", new Text(c.LastError, new Style(Color.Red)));
        Line("Added", Format.Time(c.CreatedAt));
        ctx.Console.Write(grid);
    }

    private static Markup Status(Camera c) => (c.Status ?? "unknown") switch
    {
        "online" => new Markup("[green]online[/]"),
        "offline" => new Markup("[red]offline[/]"),
        "paused" => new Markup("[grey]paused[/]"),
        var s => new Markup(s.EscapeMarkup()),
    };

    /// <summary>The options shared by add and update.</summary>
    private sealed class CameraOptions
    {
        public Option<string> Name { get; } = new("--name") { Description = "Display name", HelpName = "NAME" };
        public Option<string> Main { get; } = new("--main") { Description = "Main stream URL (rtsp://, http(s)://, HLS .m3u8, or an absolute file path)", HelpName = "URL" };
        public Option<string> Sub { get; } = new("--sub") { Description = "Substream URL for live view (\"\" removes it)", HelpName = "URL" };
        public Option<string> Username { get; } = new("--username") { Description = "Camera user name (\"\" removes the credentials)", HelpName = "USER" };
        public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the camera password from the first line of standard input (else a prompt)" };
        public Option<string> Transport { get; } = new("--transport") { Description = "RTSP transport", HelpName = "tcp|udp" };
        public Option<string> Location { get; } = new("--location") { Description = "Where the camera is", HelpName = "TEXT" };
        public Option<string> Description { get; } = new("--description") { Description = "Free text", HelpName = "TEXT" };
        public Option<bool> Paused { get; } = new("--paused") { Description = "Do not record (for update: --paused false records again)" };
        public Option<double?> RetentionDays { get; } = new("--retention-days") { Description = "Delete recordings older than this (0: only when disk space is needed)", HelpName = "DAYS" };

        public CameraOptions()
        {
            Transport.AcceptOnlyFromAmong("tcp", "udp");
            RetentionDays.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<double?>() is < 0 or > 36500) r.AddError("--retention-days must be between 0 and 36500.");
            });
        }

        public void AddTo(Command command)
        {
            foreach (var o in new Option[] { Name, Main, Sub, Username, PasswordStdin, Transport, Location, Description, Paused, RetentionDays })
                command.Add(o);
        }

        public CameraRequest Read(CliContext ctx)
        {
            var username = ctx.Value(Username);
            string? password = null;
            if (ctx.Value(PasswordStdin) && string.IsNullOrEmpty(username))
                throw new CliUsageException("--password-stdin needs --username.");
            if (!string.IsNullOrEmpty(username))
                password = ctx.Secret(ctx.Value(PasswordStdin), null, $"Password for camera user [bold]{username.EscapeMarkup()}[/] (empty for none):", allowEmpty: true);
            return new CameraRequest
            {
                Name = ctx.Value(Name),
                MainUrl = ctx.Value(Main),
                SubUrl = ctx.Value(Sub),
                Username = username,
                Password = string.IsNullOrEmpty(password) ? null : password,
                Transport = ctx.Value(Transport),
                Location = ctx.Value(Location),
                Description = ctx.Value(Description),
                Paused = ctx.Given(Paused) ? ctx.Value(Paused) : null,
                RetentionDays = ctx.Value(RetentionDays),
            };
        }
    }

    private static Command Add(CliApp app)
    {
        var options = new CameraOptions();
        options.Name.Required = true;
        options.Main.Required = true;
        var command = new Command("add", "Add a camera; recording starts at once unless --paused");
        options.AddTo(command);
        app.Handle(command, async (ctx, ct) =>
        {
            var request = options.Read(ctx);
            using var client = ctx.Client();
            var reply = await client.AddCameraAsync(request, ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else ctx.Env.Out.WriteLine(reply.Value.Id); // just the id, so that scripts can capture it
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update(CliApp app)
    {
        var id = IdArgument();
        var options = new CameraOptions();
        var command = new Command("update", "Change a camera; only the options given change") { id };
        options.AddTo(command);
        app.Handle(command, async (ctx, ct) =>
        {
            var cameraId = ctx.CameraId(id);
            var request = options.Read(ctx);
            if (request.IsEmpty) throw new CliUsageException("nothing to change: give at least one option (see 'argus cameras update --help').");
            using var client = ctx.Client();
            var reply = await client.UpdateCameraAsync(cameraId, request, ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else ctx.Console.MarkupLineInterpolated($"Updated [bold]{reply.Value.Name}[/] ({reply.Value.Id}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetPaused(CliApp app, string name, string description, bool paused)
    {
        var id = IdArgument();
        var command = new Command(name, description) { id };
        app.Handle(command, async (ctx, ct) =>
        {
            using var client = ctx.Client();
            var cameraId = ctx.CameraId(id);
            var reply = paused ? await client.PauseCameraAsync(cameraId, ct) : await client.ResumeCameraAsync(cameraId, ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else ctx.Console.MarkupLineInterpolated($"{(paused ? "Paused" : "Resumed")} [bold]{reply.Value.Name}[/] ({reply.Value.Id}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliApp app)
    {
        var id = IdArgument();
        var deleteRecordings = new Option<bool>("--delete-recordings") { Description = "Also delete its recordings now (otherwise retention ages them out)" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var command = new Command("remove", "Remove a camera") { id, deleteRecordings, yes };
        command.Aliases.Add("rm");
        app.Handle(command, async (ctx, ct) =>
        {
            var cameraId = ctx.CameraId(id);
            var alsoRecordings = ctx.Value(deleteRecordings);
            if (alsoRecordings && ctx.Env.Interactive && !ctx.Value(yes) &&
                !await ctx.Console.ConfirmAsync($"Remove camera {cameraId} and [red]delete all its recordings[/]?", defaultValue: false, ct))
                throw new CliUsageException("not removed.");
            using var client = ctx.Client();
            await client.RemoveCameraAsync(cameraId, alsoRecordings, ct);
            if (!ctx.Json)
                ctx.Console.MarkupLineInterpolated($"Removed camera {cameraId}{(alsoRecordings ? " and its recordings" : "; its recordings stay until retention removes them")}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
