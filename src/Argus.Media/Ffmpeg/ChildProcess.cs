namespace Argus.Media.Ffmpeg;

/// <summary>
/// Runs a long-lived ffmpeg so that it dies with the server: a small shell keeps the server's end of a pipe on
/// stdin and stops ffmpeg (SIGTERM, so it finishes its fragment) when that pipe closes, which happens on any exit of
/// the server, including SIGKILL. Without it an orphaned ffmpeg would record on, unwatched, until the disk fills.
/// (PR_SET_PDEATHSIG is no substitute: it fires when the creating thread exits, and .NET retires pool threads.)
/// </summary>
public static class ChildProcess
{
    private const string Script = """
        exec 3<&0
        "$@" </dev/null &
        child=$!
        ( read -r _ <&3; kill -TERM "$child" 2>/dev/null ) &
        watcher=$!
        wait "$child"
        code=$?
        kill "$watcher" 2>/dev/null
        exit $code
        """;

    /// <summary>Arguments for /bin/sh that run <paramref name="program"/> with <paramref name="args"/> tied to our lifetime.</summary>
    public static IReadOnlyList<string> TiedToParent(string program, IEnumerable<string> args) =>
        ["-c", Script, "argus-ffmpeg", program, .. args];
}
