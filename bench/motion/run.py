#!/usr/bin/env python3
"""Motion analysis benchmark: Argus (AnalysisFeed + MotionDetector + TamperDetector per camera) against the `motion`
daemon on the same RTSP streams, in the same run.

For each camera count N the test bed serves N RTSP mounts of traffic_cam_multilane.mp4 (640x360 25 fps H.264, looped,
not re-encoded). Then, one after the other on the same streams: (a) `motion` with one camera file per stream at
640x360, 5 fps, no picture/movie output, no web ports; (b) bench/motion's console program (Release) with one analysis
pipeline per stream at 640x360 gray, 5 fps; (c) for reference, ffmpeg decoding every frame (no -skip_frame) to the
same 5 fps gray output, to /dev/null.
CPU = utime+stime of the process tree over the window (after a warm-up), from /proc. Reports % of one core per camera
and the ratio Argus/motion (target <= 0.8).

Usage: bench/motion/run.py [--counts 4,8] [--seconds 60] [--out docs/benchmarks-motion.json]
"""
import argparse, json, os, signal, subprocess, sys, tempfile, time, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "recording"))
from run import proc_times, tree_cpu, start_testbed, sh  # noqa: E402  (same /proc accounting as the recording bench)

CLIP = os.path.abspath(os.path.join(ROOT, "..", "shared", "assets", "videos", "traffic_cam_multilane.mp4"))
WARMUP = 20


def measure(p, seconds):
    time.sleep(WARMUP)
    c0, w0 = tree_cpu(p.pid), time.time()
    time.sleep(seconds)
    c1, w1 = tree_cpu(p.pid), time.time()
    return (c1 - c0) / (w1 - w0)


def stop(p, timeout=20):
    p.send_signal(signal.SIGTERM)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    return out or ""


def run_motion(urls, seconds, work):
    conf = os.path.join(work, "motion.conf")
    cams = []
    for i, u in enumerate(urls):
        c = os.path.join(work, f"cam{i}.conf")
        with open(c, "w") as f:
            f.write(f"camera_id {i + 1}\ncamera_name cam{i}\nnetcam_url {u}\nnetcam_params rtsp_transport=tcp\n")
        cams.append(c)
    with open(conf, "w") as f:
        f.write("\n".join([
            "daemon off", "setup_mode off", f"log_file {work}/motion.log", "log_level 5", f"target_dir {work}",
            "width 640", "height 360", "framerate 5", "picture_output off", "movie_output off",
            "webcontrol_port 0", "stream_port 0", "threshold 1500", "event_gap 60",
            *[f"camera {c}" for c in cams], ""]))
    p = subprocess.Popen(["motion", "-n", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    cpu = measure(p, seconds)
    stop(p)
    return cpu


def run_argus(dll, urls, seconds):
    p = subprocess.Popen(["dotnet", dll, *urls], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    cpu = measure(p, seconds)
    out = stop(p)
    cams = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    return cpu, cams


def run_bare_decode(urls, seconds):
    """Every frame decoded (what motion does, and AnalysisFeed without SkipNonReferenceFrames), to /dev/null."""
    procs = [subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-threads", "1", "-rtsp_transport", "tcp", "-i", u,
                               "-map", "0:v:0", "-an", "-vf", "fps=5,scale=640:360:flags=fast_bilinear,format=gray", "-pix_fmt", "gray",
                               "-f", "rawvideo", "-y", "/dev/null"], stderr=subprocess.DEVNULL) for u in urls]
    time.sleep(WARMUP)
    t0 = {p.pid: proc_times(p.pid) for p in procs}
    w0 = time.time()
    time.sleep(seconds)
    cpu = sum((proc_times(p.pid) or 0) - (t0[p.pid] or 0) for p in procs) / (time.time() - w0)
    for p in procs:
        p.send_signal(signal.SIGINT)
    for p in procs:
        p.wait(10)
    return cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", default="4,8")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks-motion.json"))
    args = ap.parse_args()
    if shutil.which("motion") is None:
        sys.exit("the motion daemon is missing: apt-get install motion")
    build = os.path.join(ROOT, ".build", "bench-motion")
    sh("dotnet", "build", os.path.join(HERE, "Argus.Bench.Motion.csproj"), "-c", "Release", "-o", build, "-nologo", "-v", "q")
    dll = os.path.join(build, "argus-bench-motion.dll")
    results = {"clip": "traffic_cam_multilane.mp4 (640x360 25 fps H.264) served looped over RTSP/TCP", "analysis": "640x360 gray, 5 fps",
               "seconds": args.seconds, "warmup": WARMUP, "runs": []}
    for n in [int(x) for x in args.counts.split(",")]:
        work = tempfile.mkdtemp(prefix=f"argus-bench-motion-{n}-")
        bed, port = start_testbed(CLIP, n)
        try:
            urls = [f"rtsp://127.0.0.1:{port}/cam{i}" for i in range(n)]
            motion = run_motion(urls, args.seconds, work)
            argus, cams = run_argus(dll, urls, args.seconds)
            bare = run_bare_decode(urls, args.seconds)
        finally:
            bed.terminate()
            bed.wait()
            shutil.rmtree(work, ignore_errors=True)
        row = dict(cameras=n, motion_pct_per_camera=round(100 * motion / n, 2), argus_pct_per_camera=round(100 * argus / n, 2),
                   ratio=round(argus / motion, 3), full_decode_pct_per_camera=round(100 * bare / n, 2),
                   argus_frames_per_camera=[c["frames"] for c in cams], argus_restarts=sum(c["restarts"] for c in cams))
        print(json.dumps(row), flush=True)
        results["runs"].append(row)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
