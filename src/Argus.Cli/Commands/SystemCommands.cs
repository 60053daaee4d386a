using System.CommandLine;
using System.Text.Json;
using Argus.Cli.Api;
using Spectre.Console;

namespace Argus.Cli.Commands;

public static class SystemCommands
{
    public static Command Health(CliApp app)
    {
        var command = new Command("health", "Check that the server is up (no login needed)");
        app.Handle(command, async (ctx, ct) =>
        {
            using var client = ctx.Client(authenticate: false);
            var reply = await client.HealthAsync(ct);
            if (ctx.Json) { ctx.WriteJson(reply.Json); return ExitCodes.Ok; }
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow(new Markup("[grey]Server[/]"), new Text(ctx.ServerDisplay));
            if (reply.Value.ValueKind == JsonValueKind.Object)
                foreach (var p in reply.Value.EnumerateObject())
                    grid.AddRow(new Markup($"[grey]{p.Name.EscapeMarkup()}[/]"),
                        new Text(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()));
            ctx.Console.Write(grid);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Storage(CliApp app)
    {
        var command = new Command("storage", "Disk use of recordings");
        app.Handle(command, async (ctx, ct) =>
        {
            using var client = ctx.Client();
            var reply = await client.StorageAsync(ct);
            if (ctx.Json) { ctx.WriteJson(reply.Json); return ExitCodes.Ok; }
            var s = reply.Value;
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().RightAligned());
            grid.AddRow(new Markup("[grey]Recordings[/]"), new Text(Format.Bytes(s.RecordingsBytes)));
            grid.AddRow(new Markup("[grey]Free[/]"), new Text(Format.Bytes(s.FreeBytes)));
            grid.AddRow(new Markup("[grey]Disk size[/]"), new Text(Format.Bytes(s.TotalBytes)));
            ctx.Console.Write(grid);
            if (s.TotalBytes > 0)
            {
                var used = s.TotalBytes - s.FreeBytes;
                ctx.Console.Write(new BreakdownChart().Width(60)
                    .AddItem("recordings", Math.Min(s.RecordingsBytes, used), Color.Blue)
                    .AddItem("other", Math.Max(0, used - s.RecordingsBytes), Color.Grey)
                    .AddItem("free", s.FreeBytes, Color.Green)
                    .UseValueFormatter(v => Format.Bytes((long)v)));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Events(CliApp app)
    {
        var camera = new Option<string>("--camera") { Description = "Only this camera's events", HelpName = "ID" };
        var type = new Option<string>("--type") { Description = "Only this type (e.g. camera.offline, camera.online, storage.low)", HelpName = "TYPE" };
        var from = RecordingCommands.From();
        var to = RecordingCommands.To(defaultHelp: null);
        var limit = new Option<int?>("--limit") { Description = "At most this many (server default 1000)", HelpName = "N" };
        var command = new Command("events", "Camera and system events, oldest first") { camera, type, from, to, limit };
        app.Handle(command, async (ctx, ct) =>
        {
            var cameraId = ctx.Value(camera);
            if (cameraId is not null && !Argus.Core.Cameras.CameraId.IsValid(cameraId))
                throw new CliUsageException($"--camera: '{cameraId}' is not a camera id.");
            var f = ctx.Time(from);
            var t = ctx.Time(to);
            if (f is not null && t is not null && t <= f) throw new CliUsageException("--to must be after --from.");
            using var client = ctx.Client();
            var reply = await client.EventsAsync(new EventFilter(cameraId, ctx.Value(type), f, t, ctx.Value(limit)), ct);
            if (ctx.Json) { ctx.WriteJson(reply.Json); return ExitCodes.Ok; }
            if (reply.Value.Count == 0) { ctx.Console.MarkupLine("No events."); return ExitCodes.Ok; }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Start").AddColumn("End").AddColumn("Camera").AddColumn("Type").AddColumn("Detail");
            foreach (var e in reply.Value)
                table.AddRow(new Text(Format.Time(e.Start)),
                    new Text(e.End is { } end ? $"{Format.Time(end)} ({Format.Duration(end - e.Start)})" : "-"),
                    new Text(e.Camera ?? "-"), new Text(e.Type), new Text(e.Detail ?? ""));
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
