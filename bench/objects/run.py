#!/usr/bin/env python3
"""Object detection benchmark: CPU per camera and cameras per machine, motion-gated detection against detection on every
analysed frame, with motion-only analysis as the baseline, in the same run.

For each camera count N: the test bed serves N RTSP mounts of traffic_cam_multilane.mp4 (640x360 25 fps H.264, looped,
not re-encoded); a fresh Release server (`--detector-model yolox_nano.onnx`) gets N cameras (recording + motion
analysis at the default 5 fps). Three phases on the same server and streams, each a warm-up then a measured window:
  base:  no counting line: recording + motion analysis only (the object detector is idle);
  gated: the counting line of the issue on every camera (car, bus, truck, motorcycle): motion-gated detection, the default;
  every: the same line plus `analysis.objects.everyFrame: true` (PUT /api/cameras/{id}): detection on every analysed frame.
CPU = utime+stime of the server and its children (ffmpeg), from /proc, as % of one core per camera. From the camera
JSON (deltas over the window): analysed frames/s, detector requests/s (`analysisStatus.objects.detections`; a look at
the whole frame is 2 requests, one per 416-px tile; a crop around motion is 1) and dropped requests.

Sustained (per mode, per N): zero dropped requests AND per-camera requests/s within 10 % of what the mode asks:
  every: 2 tiles x the analysed frames/s of the same window (every analysed frame looked at, whole);
  gated: the per-camera rate the same mode reached with 1 camera (what the gate asks on this clip, where traffic never
         stops) - or, if --counts does not start at 1, its lowest N.
A camera whose previous frame is still with the detector skips the frame (not counted as a drop), so a shortfall in
requests/s is how overload shows besides drops.

Usage: bench/objects/run.py [--counts 1,2,3,4,6] [--seconds 60] [--warmup 20] [--out docs/benchmarks-objects.json]
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "recording"))
from run import Server, descendants, proc_times, rss_kb, sh, start_testbed, tree_cpu  # noqa: E402  (same /proc accounting)

ASSETS = os.path.abspath(os.path.join(ROOT, "..", "shared", "assets"))
CLIP = os.path.join(ASSETS, "videos", "traffic_cam_multilane.mp4")
MODEL = os.path.join(ASSETS, "models", "yolox_nano.onnx")
LINE = {"name": "count", "points": [[0.95, 0.81], [0.04, 0.20]], "classes": ["car", "bus", "truck", "motorcycle"]}
TILES = 2  # ObjectSettings.Tiles default: a whole-frame look is two 416-px tiles of the 640x360 frame


class Stop(Exception):
    pass


def on_signal(signum, _frame):
    raise Stop(f"signal {signum}")


def machine_busy():
    """(busy, total) jiffies of the whole machine, for how loaded it was by anything during the window."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v) - idle, sum(v)


def kill_tree(pids):
    """Whatever of these PIDs is still alive gets SIGKILL (after its parent was asked to stop)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def snapshot(s, ids):
    cams = {c["id"]: c for c in s.call("GET", "/api/cameras")}
    out = {}
    for cid in ids:
        c = cams.get(cid) or s.call("GET", f"/api/cameras/{cid}")
        a = c.get("analysisStatus") or {}
        o = a.get("objects") or {}
        out[cid] = dict(frames=a.get("frames", 0), detections=o.get("detections", 0), dropped=o.get("dropped", 0),
                        objects=o.get("status"), error=o.get("error"), tracks=o.get("liveTracks", 0),
                        restarts=c.get("restarts", 0), analysis_restarts=a.get("restarts", 0), status=c.get("status"))
    return out


def measure(s, ids, bed, warmup, seconds):
    time.sleep(warmup)
    s0, c0, own0, b0, m0, w0 = snapshot(s, ids), tree_cpu(s.p.pid), proc_times(s.p.pid), tree_cpu(bed.pid), machine_busy(), time.time()
    time.sleep(seconds)
    s1, c1, own1, b1, m1, w1 = snapshot(s, ids), tree_cpu(s.p.pid), proc_times(s.p.pid), tree_cpu(bed.pid), machine_busy(), time.time()
    w = w1 - w0
    n = len(ids)
    d = lambda k: [s1[i][k] - s0[i][k] for i in ids]
    frames, dets, drops = d("frames"), d("detections"), d("dropped")
    return dict(
        cpu_pct_per_camera=round(100 * (c1 - c0) / w / n, 2),
        server_process_pct=round(100 * (own1 - own0) / w, 1),
        testbed_pct=round(100 * (b1 - b0) / w, 1),
        machine_busy_pct_of_2_cores=round(100 * (m1[0] - m0[0]) / max(1, m1[1] - m0[1]), 1),
        frames_per_s_per_camera=round(sum(frames) / w / n, 2),
        requests_per_s_per_camera=round(sum(dets) / w / n, 2),
        requests_per_s_min_camera=round(min(dets) / w, 2),
        dropped_per_camera=round(sum(drops) / n, 1),
        dropped_total=sum(drops),
        restarts=sum(s1[i]["restarts"] - s0[i]["restarts"] + s1[i]["analysis_restarts"] - s0[i]["analysis_restarts"] for i in ids),
        objects_status=sorted({str(s1[i]["objects"]) for i in ids}),
        errors=sorted({s1[i]["error"] for i in ids if s1[i]["error"]}),
        offline=[i for i in ids if s1[i]["status"] != "online"],
        server_rss_mb=round(rss_kb(s.p.pid, "VmRSS") / 1024, 1),
        server_peak_mb=round(rss_kb(s.p.pid, "VmHWM") / 1024, 1),
        window=round(w, 1))


def run_count(dll, n, warmup, seconds, work):
    bed, port = start_testbed(CLIP, n)
    bed_kids = descendants(bed.pid)
    s = None
    server_kids = []
    try:
        data = os.path.join(work, "argus"); os.makedirs(data)
        s = Server(dll, data, ["--detector-model", MODEL])
        ids = [s.call("POST", "/api/cameras", {"name": f"cam{i}", "mainUrl": f"rtsp://127.0.0.1:{port}/cam{i}"})["id"] for i in range(n)]
        deadline = time.time() + 60
        while time.time() < deadline and not all(c["status"] == "online" for c in s.call("GET", "/api/cameras")):
            time.sleep(0.5)
        phases = {}
        phases["base"] = measure(s, ids, bed, warmup, seconds)
        print(f"  N={n} base  {json.dumps(phases['base'])}", flush=True)
        for cid in ids:
            s.call("POST", f"/api/cameras/{cid}/lines", LINE)
        phases["gated"] = measure(s, ids, bed, warmup, seconds)
        print(f"  N={n} gated {json.dumps(phases['gated'])}", flush=True)
        for cid in ids:
            got = s.call("PUT", f"/api/cameras/{cid}", {"analysis": {"objects": {"everyFrame": True}}})
            if not got["analysis"]["objects"]["everyFrame"]:
                raise RuntimeError("PUT analysis.objects.everyFrame was not applied")
        phases["every"] = measure(s, ids, bed, warmup, seconds)
        print(f"  N={n} every {json.dumps(phases['every'])}", flush=True)
        server_kids = descendants(s.p.pid)
        return phases
    finally:
        if s is not None:
            server_kids = server_kids or descendants(s.p.pid)
            s.stop()
            kill_tree(server_kids)
        bed.terminate()
        try:
            bed.wait(10)
        except subprocess.TimeoutExpired:
            bed.kill(); bed.wait()
        kill_tree(bed_kids)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", default="1,2,3,4,6")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks-objects.json"))
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    for f in (CLIP, MODEL):
        if not os.path.exists(f):
            sys.exit(f"missing {f}")
    build = os.path.join(ROOT, ".build", "bench-server")
    try:
        sh("dotnet", "build", os.path.join(ROOT, "src", "Argus.Server"), "-c", "Release", "-o", build, "-nologo", "-v", "q")
    except Stop as e:
        sys.exit(f"stopped ({e}) during the build")
    dll = os.path.join(build, "argus-server.dll")
    counts = [int(x) for x in args.counts.split(",")]
    results = {"clip": "traffic_cam_multilane.mp4 (640x360 25 fps H.264) served looped over RTSP/TCP, not re-encoded",
               "model": "YOLOX-nano 416 (ONNX Runtime, CPU)", "analysis": "640x360, 5 fps (default)", "line": LINE,
               "seconds": args.seconds, "warmup": args.warmup, "cpus": os.cpu_count(), "runs": []}
    try:
        for n in counts:
            work = tempfile.mkdtemp(prefix=f"argus-bench-objects-{n}-")
            try:
                phases = run_count(dll, n, args.warmup, args.seconds, work)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            results["runs"].append(dict(cameras=n, **phases))
    except Stop as e:
        print(f"stopped ({e}); writing what was measured", file=sys.stderr)
    if not results["runs"]:
        return
    # What each mode asks: every: each analysed frame as 2 tiles; gated: the 1-camera (lowest N) rate on this clip.
    ref = results["runs"][0]["gated"]["requests_per_s_per_camera"]
    results["gated_reference_requests_per_s"] = ref
    results["gated_reference_cameras"] = results["runs"][0]["cameras"]
    sustained = {"gated": 0, "every": 0}
    rows = []
    for r in results["runs"]:
        row = dict(cameras=r["cameras"], base_cpu=r["base"]["cpu_pct_per_camera"])
        for mode in ("gated", "every"):
            p = r[mode]
            asks = ref if mode == "gated" else TILES * min(5.0, p["frames_per_s_per_camera"])
            p["asks_requests_per_s"] = round(asks, 2)
            p["object_increment_pct_per_camera"] = round(p["cpu_pct_per_camera"] - r["base"]["cpu_pct_per_camera"], 2)
            p["sustained"] = p["dropped_total"] == 0 and p["requests_per_s_per_camera"] >= 0.9 * asks and not p["offline"]
            if p["sustained"]:
                sustained[mode] = max(sustained[mode], r["cameras"])
            row[mode] = p
        rows.append(row)
    results["sustained_cameras"] = sustained
    hdr = "| cameras | base % core/cam | frames/s/cam | mode | % core/cam | object increment | requests/s/cam (asks) | dropped/cam | sustained | machine busy | server RSS |"
    print(hdr)
    print("|---" * (hdr.count("|") - 1) + "|")
    for row in rows:
        for mode in ("gated", "every"):
            p = row[mode]
            print(f"| {row['cameras']} | {row['base_cpu']} | {p['frames_per_s_per_camera']} | {mode} | {p['cpu_pct_per_camera']} | "
                  f"{p['object_increment_pct_per_camera']:+} | {p['requests_per_s_per_camera']} ({p['asks_requests_per_s']}) | "
                  f"{p['dropped_per_camera']} | {'yes' if p['sustained'] else 'no'} | {p['machine_busy_pct_of_2_cores']} % | {p['server_rss_mb']} MB |")
    print(f"sustained without drops: gated {sustained['gated']} cameras, every frame {sustained['every']} cameras "
          f"(of counts {counts[:len(results['runs'])]})")
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
