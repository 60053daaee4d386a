using System.CommandLine;
using Argus.Cli.Api;
using Spectre.Console;

namespace Argus.Cli.Commands;

public static class RecordingCommands
{
    internal static Option<string> From(string? defaultHelp = null) =>
        new("--from") { Description = "Start: " + TimeArg.Help + (defaultHelp is null ? "" : $" (default {defaultHelp})"), HelpName = "TIME" };

    internal static Option<string> To(string? defaultHelp = "now") =>
        new("--to") { Description = "End" + (defaultHelp is null ? "" : $" (default {defaultHelp})"), HelpName = "TIME" };

    public static Command Recordings(CliApp app)
    {
        var id = CameraCommands.IdArgument();
        var from = From("-24h");
        var to = To();
        var command = new Command("recordings", "Recorded segments of a camera in a time range") { id, from, to };
        app.Handle(command, async (ctx, ct) =>
        {
            var cameraId = ctx.CameraId(id);
            var (f, t) = ctx.Range(from, to, defaultFrom: "-24h");
            using var client = ctx.Client();
            var reply = await client.RecordingsAsync(cameraId, f, t, ct);
            if (ctx.Json) { ctx.WriteJson(reply.Json); return ExitCodes.Ok; }
            var segments = reply.Value.OrderBy(s => s.Start).ToList();
            if (segments.Count == 0)
            {
                ctx.Console.MarkupLineInterpolated($"No recordings between {Format.Time(f)} and {Format.Time(t)}.");
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Start").AddColumn("End")
                .AddColumn(new TableColumn("Duration").RightAligned()).AddColumn(new TableColumn("Size").RightAligned());
            foreach (var s in segments)
                table.AddRow(Format.Time(s.Start), Format.Time(s.End), Format.Duration(s.End - s.Start), Format.Bytes(s.Bytes));
            var duration = TimeSpan.FromTicks(segments.Sum(s => (s.End - s.Start).Ticks));
            var bytes = segments.Sum(s => s.Bytes);
            var gaps = segments.Zip(segments.Skip(1)).Count(p => p.Second.Start - p.First.End > TimeSpan.FromSeconds(2));
            table.Caption(new TableTitle($"{segments.Count} segments, {Format.Duration(duration)}, {Format.Bytes(bytes)}" +
                (gaps > 0 ? $", {gaps} gap{(gaps == 1 ? "" : "s")}" : "")));
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Export(CliApp app)
    {
        var id = CameraCommands.IdArgument();
        var from = From();
        from.Required = true;
        var to = To();
        var output = new Option<string>("--out", "-o") { Description = "File to write (default: the name the server suggests, in the current directory)", HelpName = "FILE.mp4" };
        var force = new Option<bool>("--force", "-f") { Description = "Replace the file if it exists" };
        var command = new Command("export", "Download a time range as one MP4 file") { id, from, to, output, force };
        app.Handle(command, async (ctx, ct) =>
        {
            var cameraId = ctx.CameraId(id);
            var (f, t) = ctx.Range(from, to);
            var path = ctx.Value(output) is { Length: > 0 } o
                ? o
                : $"{cameraId}_{f.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}_{(long)(t - f).TotalSeconds}s.mp4";
            using var client = ctx.Client();
            // The server cuts the whole clip before it answers, which takes a while for long ranges.
            client.Timeout = TimeSpan.FromMinutes(15);
            ExportResult result;
            if (ctx.Env.Interactive && !ctx.Json)
            {
                result = await ctx.Console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                        new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"Exporting {cameraId}", autoStart: true, maxValue: 1);
                        task.IsIndeterminate = true;
                        return await client.ExportClipAsync(cameraId, f, t, path, ctx.Value(force), new SpectreProgress(task), ct);
                    });
            }
            else
                result = await client.ExportClipAsync(cameraId, f, t, path, ctx.Value(force), null, ct);

            if (ctx.Json)
                ctx.WriteJson(System.Text.Json.JsonSerializer.Serialize(new { path = result.Path, bytes = result.Bytes }, ApiClient.Json));
            else
                ctx.Console.MarkupLineInterpolated($"Wrote [bold]{result.Path}[/] ({Format.Bytes(result.Bytes)}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class SpectreProgress(ProgressTask task) : IDownloadProgress
    {
        public void Started(long? totalBytes)
        {
            if (totalBytes is > 0) { task.MaxValue = totalBytes.Value; task.IsIndeterminate = false; }
        }

        public void Advanced(long bytesSoFar)
        {
            if (bytesSoFar > task.MaxValue && task.IsIndeterminate) task.MaxValue = bytesSoFar;
            task.Value = bytesSoFar;
        }
    }

    public static Command Locks(CliApp app)
    {
        var command = new Command("locks", "Evidence locks: time ranges that retention must not delete");

        var listId = CameraCommands.IdArgument();
        var list = new Command("list", "Locks of a camera") { listId };
        list.Aliases.Add("ls");
        app.Handle(list, async (ctx, ct) =>
        {
            using var client = ctx.Client();
            var reply = await client.LocksAsync(ctx.CameraId(listId), ct);
            if (ctx.Json) { ctx.WriteJson(reply.Json); return ExitCodes.Ok; }
            if (reply.Value.Count == 0) { ctx.Console.MarkupLine("No locks."); return ExitCodes.Ok; }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("Id").RightAligned()).AddColumn("From").AddColumn("To").AddColumn("Reason").AddColumn("By").AddColumn("Created");
            foreach (var l in reply.Value.OrderBy(l => l.From))
                table.AddRow(new Text(l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Text(Format.Time(l.From)),
                    new Text(Format.Time(l.To)), new Text(l.Reason ?? ""), new Text(l.CreatedBy ?? ""), new Text(Format.Time(l.CreatedAt)));
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        command.Add(list);

        var addId = CameraCommands.IdArgument();
        var from = From();
        from.Required = true;
        var to = To();
        var reason = new Option<string>("--reason") { Description = "Why (e.g. an incident number)", Required = true, HelpName = "TEXT" };
        var add = new Command("add", "Lock a time range against retention") { addId, from, to, reason };
        app.Handle(add, async (ctx, ct) =>
        {
            var cameraId = ctx.CameraId(addId);
            var (f, t) = ctx.Range(from, to);
            var why = ctx.Value(reason)?.Trim();
            if (string.IsNullOrEmpty(why)) throw new CliUsageException("--reason must not be empty.");
            using var client = ctx.Client();
            var reply = await client.AddLockAsync(cameraId, f, t, why, ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else ctx.Console.MarkupLineInterpolated($"Locked {Format.Time(f)} to {Format.Time(t)} on {cameraId} (lock {reply.Value.Id}).");
            return ExitCodes.Ok;
        });
        command.Add(add);

        var removeId = CameraCommands.IdArgument();
        var lockId = new Argument<long>("lock-id") { Description = "Lock id (see 'argus locks list')" };
        var remove = new Command("remove", "Release a lock") { removeId, lockId };
        remove.Aliases.Add("rm");
        app.Handle(remove, async (ctx, ct) =>
        {
            var cameraId = ctx.CameraId(removeId);
            using var client = ctx.Client();
            await client.RemoveLockAsync(cameraId, ctx.Value(lockId), ct);
            if (!ctx.Json) ctx.Console.MarkupLineInterpolated($"Released lock {ctx.Value(lockId)} on {cameraId}.");
            return ExitCodes.Ok;
        });
        command.Add(remove);
        return command;
    }
}
