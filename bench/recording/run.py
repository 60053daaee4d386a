#!/usr/bin/env python3
"""Recording benchmark: Argus against bare `ffmpeg -c copy -f segment` on the same RTSP streams, in the same run.

For each camera count N: the test bed serves N RTSP mounts of one pre-encoded 1080p25 4 Mb/s clip (no encoding
in the test bed). Argus: a fresh server (Release build) records the N streams. Baseline: N bare ffmpeg segmenters
recording the same N streams at the same time, over the same window (both see the same machine load; --sequential
measures the baseline first, alone, as before 2026-12-02). The set that connects to the test bed second measures
5-6 % more in either order (docs/benchmarks.md, session 9), so each count is run twice, Argus connecting first and then bare ffmpeg connecting
first, and the ratio reported is the mean of the two (--orders to run one). CPU is the utime+stime (and reaped children's) of the process tree over the same window, read from
/proc. Reports CPU % of one core per camera, the ratio Argus/bare, lost segments, and peak memory per camera.
Then times a 10-minute export against bare ffmpeg concat of the same files.

Usage: bench/recording/run.py [--counts 8,16,32] [--seconds 60] [--out docs/benchmarks-recording.json]
                              [--orders argus-first,bare-first | --sequential]
       bench/recording/run.py --idle [--seconds 20]     # the server's fixed cost: no camera
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, time, urllib.request, glob

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TESTBED = os.path.join(ROOT, "tools", "testbed")
CLK = os.sysconf("SC_CLK_TCK")
PASSWORD = "bench-password-123"
WARMUP = 60


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def proc_times(pid, children=True):
    """utime+stime (+ reaped children's) in seconds, or None if gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        t = int(fields[11]) + int(fields[12])
        if children:
            t += int(fields[13]) + int(fields[14])
        return t / CLK
    except (FileNotFoundError, ProcessLookupError):
        return None


def descendants(pid):
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        kids = []
        # children are listed per thread: a .NET process starts them from pool threads
        for task in glob.glob(f"/proc/{p}/task/*/children"):
            try:
                with open(task) as f:
                    kids += [int(x) for x in f.read().split()]
            except FileNotFoundError:
                pass
        out += kids
        stack += kids
    return out


def tree_cpu(pid):
    total = proc_times(pid) or 0.0
    for c in descendants(pid):
        total += proc_times(c, children=False) or 0.0  # reaped grandchildren counted in their parent's cutime
    return total


def rss_kb(pid, field="VmHWM"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def start_testbed(clip, n, extra=()):
    """Mounts cam0..cam<n-1> of the clip; returns (process, port) once it is ready."""
    args = ["/usr/bin/python3", os.path.join(TESTBED, "rtsp_server.py"), "--port", "0", *extra]
    for i in range(n):
        args += ["--file", f"cam{i}={clip}"]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = None
    for line in p.stdout:
        if line.startswith("PORT "):
            port = int(line.split()[1])
        if line.strip() == "READY":
            break
    return p, port


def free_port():
    import socket
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


class Server:
    def __init__(self, dll, data, extra=()):
        self.port = free_port()
        env = dict(os.environ, ARGUS_ADMIN_PASSWORD=PASSWORD)
        self.log = open(data + ".log", "w")
        self.p = subprocess.Popen(["dotnet", dll, "serve", "--data", data, "--urls", f"http://127.0.0.1:{self.port}",
                                   "--silo-port", str(free_port()), "--gateway-port", str(free_port()), *extra],
                                  stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=data)
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/health", timeout=1)
                break
            except Exception:
                time.sleep(0.25)
        self.token = self.call("POST", "/api/auth/token", {"user": "admin", "password": PASSWORD}, auth=False)["token"]

    def call(self, method, path, body=None, auth=True, raw=False):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
        if auth:
            req.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(req, timeout=600) as r:
            data = r.read()
            return data if raw else (json.loads(data) if data else None)

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(30)
        except subprocess.TimeoutExpired:
            self.p.kill()
        self.log.close()


def start_bare(urls, workdir):
    procs = []
    for i, url in enumerate(urls):
        d = os.path.join(workdir, f"bare{i}"); os.makedirs(d)
        procs.append(subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", url,
                                       "-map", "0:v:0", "-c", "copy", "-f", "segment", "-segment_time", "10", "-reset_timestamps", "1",
                                       "-segment_format", "mp4", os.path.join(d, "%05d.mp4")], stderr=subprocess.DEVNULL))
    return procs


def stop_bare(procs):
    for p in procs:
        p.send_signal(signal.SIGINT)
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def bare_cpu(procs):
    return sum(proc_times(p.pid) or 0 for p in procs)


def bare(urls, seconds, workdir):
    procs = start_bare(urls, workdir)
    time.sleep(5)  # connected and steady
    c0 = bare_cpu(procs)
    time.sleep(seconds)
    cpu = bare_cpu(procs) - c0
    mem = sum(rss_kb(p.pid, "VmRSS") for p in procs)
    stop_bare(procs)
    return cpu, mem


def argus_run(dll, urls, seconds, workdir, paired=True, bare_first=False, bare_urls=None):
    """Argus records the streams; with paired, bare segmenters record the same streams over the same window,
    connecting to the test bed after Argus's recorders or, with bare_first, before them."""
    data = os.path.join(workdir, "argus"); os.makedirs(data)
    bare_urls = bare_urls or urls
    bare_procs = start_bare(bare_urls, os.path.join(workdir, "bare")) if paired and bare_first else []
    s = Server(dll, data)
    # Recording alone, as the baseline does; motion analysis has its own benchmark (bench/motion).
    ids = [s.call("POST", "/api/cameras", {"name": f"cam{i}", "mainUrl": u, "analysis": {"enabled": False}})["id"] for i, u in enumerate(urls)]
    deadline = time.time() + 60
    while time.time() < deadline and not all(c["status"] == "online" for c in s.call("GET", "/api/cameras")):
        time.sleep(0.5)
    time.sleep(WARMUP)  # steady state: the JIT's tier-1 recompilation of a fresh process runs for about a minute
    if paired and not bare_first:
        bare_procs = start_bare(bare_urls, os.path.join(workdir, "bare"))
        time.sleep(5)  # connected and steady
    w0 = time.time()
    c0, own0, b0 = tree_cpu(s.p.pid), proc_times(s.p.pid), bare_cpu(bare_procs)
    time.sleep(seconds)
    c1, own1, b1 = tree_cpu(s.p.pid), proc_times(s.p.pid), bare_cpu(bare_procs)
    w1 = time.time()
    bare_mem = sum(rss_kb(p.pid, "VmRSS") for p in bare_procs)
    stop_bare(bare_procs)
    kids = descendants(s.p.pid)
    mem = rss_kb(s.p.pid, "VmHWM") + sum(rss_kb(k, "VmHWM") for k in kids)
    server_mem = rss_kb(s.p.pid, "VmHWM")
    time.sleep(12)  # let the segments of the window be indexed
    lost = 0
    gaps = 0
    from datetime import datetime, timezone
    iso = lambda t: datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for cid in ids:
        recs = s.call("GET", f"/api/cameras/{cid}/recordings?from={iso(w0)}&to={iso(w1)}")
        starts = [datetime.fromisoformat(r["start"]).timestamp() for r in recs]
        ends = [datetime.fromisoformat(r["end"]).timestamp() for r in recs]
        covered = sum(min(e, w1) - max(b, w0) for b, e in zip(starts, ends))
        if covered < (w1 - w0) - 1.0:
            lost += 1
        gaps += sum(1 for i in range(1, len(recs)) if starts[i] - ends[i - 1] > 1.0)
    metrics = s.call("GET", "/metrics", raw=True).decode()
    invalid = sum(float(l.split()[-1]) for l in metrics.splitlines() if l.startswith("argus_segments_invalid_total{"))
    restarts = sum(float(l.split()[-1]) for l in metrics.splitlines() if l.startswith("argus_camera_restarts_total{"))
    s.stop()
    return dict(cpu=c1 - c0, server_cpu=own1 - own0, window=w1 - w0, bare_cpu=b1 - b0, bare_mem_kb=bare_mem, mem_kb=mem, server_mem_kb=server_mem, cameras_short=lost, gaps=gaps,
                invalid=int(invalid), restarts=int(restarts))


def idle_server(dll, seconds, workdir, windows=3):
    """A fresh server with no camera: its fixed CPU (Orleans, Kestrel, timers), in % of one core per window."""
    data = os.path.join(workdir, "idle"); os.makedirs(data)
    s = Server(dll, data)
    time.sleep(WARMUP)
    out = []
    for _ in range(windows):
        c0, t0 = proc_times(s.p.pid), time.time()
        time.sleep(seconds)
        out.append(round(100 * (proc_times(s.p.pid) - c0) / (time.time() - t0), 2))
    s.stop()
    return out


def export_bench(dll, clip, workdir):
    """10 minutes of 1080p 4 Mb/s segments put in place as orphans; reconcile indexes them; time a cold export."""
    data = os.path.join(workdir, "export"); os.makedirs(data)
    cam = "b0b0b0b0b0b0"
    seg = os.path.join(workdir, "segs"); os.makedirs(seg)
    sh("ffmpeg", "-hide_banner", "-loglevel", "error", "-stream_loop", "-1", "-i", clip, "-t", "620", "-map", "0:v", "-c", "copy",
       "-f", "segment", "-segment_time", "10", "-reset_timestamps", "1", "-segment_format", "mp4",
       "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof", os.path.join(seg, "%05d.mp4"))
    t = time.time() - 3600
    from datetime import datetime, timezone
    files = sorted(glob.glob(os.path.join(seg, "*.mp4")))
    for i, f in enumerate(files):
        start = datetime.fromtimestamp(t + 10 * i, timezone.utc)
        d = os.path.join(data, "recordings", cam, start.strftime("%Y-%m-%d"), start.strftime("%H"))
        os.makedirs(d, exist_ok=True)
        shutil.move(f, os.path.join(d, start.strftime("%Y%m%dT%H%M%S.%f")[:-3] + "Z.mp4"))
    s = Server(dll, data)
    iso = lambda x: datetime.fromtimestamp(x, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    a, b = t + 5, t + 5 + 600
    t0 = time.time()
    body = s.call("GET", f"/api/cameras/{cam}/clip?from={iso(a)}&to={iso(b)}", raw=True)
    argus_s = time.time() - t0
    out = os.path.join(workdir, "export.mp4")
    with open(out, "wb") as f:
        f.write(body)
    dur = float(subprocess.check_output(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", out]).decode())
    s.stop()
    # Baseline: bare ffmpeg concat of the same files.
    files = sorted(glob.glob(os.path.join(data, "recordings", cam, "*", "*", "*.mp4")))
    lst = os.path.join(workdir, "list.txt")
    with open(lst, "w") as f:
        for x in files[:61]:
            f.write(f"file '{x}'\n")
    t0 = time.time()
    sh("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", lst, "-c", "copy", "-y", os.path.join(workdir, "bare.mp4"))
    bare_s = time.time() - t0
    return dict(argus_seconds=argus_s, bare_seconds=bare_s, duration=dur, bytes=len(body))


def prepare(build_name):
    """Release build of the server in .build/<build_name> and the 1080p25 4 Mb/s clip: (server dll, clip path)."""
    build = os.path.join(ROOT, ".build", build_name)
    sh("dotnet", "build", os.path.join(ROOT, "src", "Argus.Server"), "-c", "Release", "-o", build, "-nologo", "-v", "q")
    clip = "/tmp/argus-bench/1080p25_4M.mp4"
    sh(os.path.join(TESTBED, "make_clip.sh"), clip, "1920x1080", "25", "4000", "60")
    return os.path.join(build, "argus-server.dll"), clip


def one_count(dll, clip, n, seconds, order, testbeds=1):
    """One measurement of n cameras: order is argus-first, bare-first or sequential; with two test beds the bare
    segmenters read the same clip from a test bed of their own."""
    work = tempfile.mkdtemp(prefix=f"argus-bench-{n}-")
    beds = [start_testbed(clip, n) for _ in range(testbeds if order != "sequential" else 1)]
    try:
        urls, bare_urls = ([f"rtsp://127.0.0.1:{port}/cam{i}" for i in range(n)] for _, port in (beds[0], beds[-1]))
        if order == "sequential":
            bare_total, bare_mem = bare(urls, seconds, work)
            bare_window = seconds
        a = argus_run(dll, urls, seconds, work, paired=order != "sequential", bare_first=order == "bare-first", bare_urls=bare_urls)
        if order != "sequential":
            bare_total, bare_mem, bare_window = a["bare_cpu"], a["bare_mem_kb"], a["window"]
    finally:
        for bed, _ in beds:
            bed.terminate(); bed.wait()
        shutil.rmtree(work, ignore_errors=True)
    bare_pct = 100 * bare_total / bare_window / n
    argus_pct = 100 * a["cpu"] / a["window"] / n
    return dict(bare_cpu_pct_per_camera=round(bare_pct, 3), argus_cpu_pct_per_camera=round(argus_pct, 3),
                ratio=round(argus_pct / bare_pct, 3),
                argus_server_pct_of_core=round(100 * a["server_cpu"] / a["window"], 2),
                argus_ffmpeg_pct_per_camera=round(100 * (a["cpu"] - a["server_cpu"]) / a["window"] / n, 3), bare_rss_mb_per_camera=round(bare_mem / 1024 / n, 1),
                argus_peak_mb_per_camera=round(a["mem_kb"] / 1024 / n, 1), argus_server_peak_mb=round(a["server_mem_kb"] / 1024, 1),
                cameras_with_lost_time=a["cameras_short"], gaps_over_1s=a["gaps"], invalid_segments=a["invalid"], restarts=a["restarts"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", default="8,16,32")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks-recording.json"))
    ap.add_argument("--sequential", action="store_true", help="bare first, then Argus (default: both at once, on the same streams over the same window)")
    ap.add_argument("--orders", default="argus-first,bare-first", help="paired runs per count: which set connects to the test bed first")
    ap.add_argument("--testbeds", type=int, default=1, choices=[1, 2], help="2: the bare segmenters read from a test bed of their own")
    ap.add_argument("--idle", action="store_true", help="only measure a fresh server with no camera (3 windows of --seconds)")
    args = ap.parse_args()
    dll, clip = prepare("bench-server")
    if args.idle:
        work = tempfile.mkdtemp(prefix="argus-bench-idle-")
        print(json.dumps({"idle_server_pct_of_core": idle_server(dll, args.seconds, work)}), flush=True)
        shutil.rmtree(work, ignore_errors=True)
        return
    orders = ["sequential"] if args.sequential else args.orders.split(",")
    results = {"clip": "1920x1080 25 fps 4 Mb/s H.264 (make_clip.sh)", "seconds": args.seconds,
               "method": "sequential" if args.sequential else "paired, " + " and ".join(orders), "runs": []}
    for n in [int(x) for x in args.counts.split(",")]:
        per_order = {}
        for order in orders:
            per_order[order] = one_count(dll, clip, n, args.seconds, order, args.testbeds)
            print(json.dumps(dict(cameras=n, order=order, **per_order[order])), flush=True)
        rows = list(per_order.values())
        mean = lambda k: round(sum(r[k] for r in rows) / len(rows), 3)
        row = dict(cameras=n, ratio=mean("ratio"), bare_cpu_pct_per_camera=mean("bare_cpu_pct_per_camera"),
                   argus_cpu_pct_per_camera=mean("argus_cpu_pct_per_camera"), argus_server_pct_of_core=mean("argus_server_pct_of_core"),
                   argus_ffmpeg_pct_per_camera=mean("argus_ffmpeg_pct_per_camera"),
                   argus_peak_mb_per_camera=max(r["argus_peak_mb_per_camera"] for r in rows),
                   **{k: sum(r[k] for r in rows) for k in ("cameras_with_lost_time", "gaps_over_1s", "invalid_segments", "restarts")},
                   orders=per_order)
        print(json.dumps({k: v for k, v in row.items() if k != "orders"}), flush=True)
        results["runs"].append(row)
    work = tempfile.mkdtemp(prefix="argus-bench-export-")
    results["export_10min"] = export_bench(dll, clip, work)
    print(json.dumps(results["export_10min"]), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
