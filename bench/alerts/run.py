#!/usr/bin/env python3
"""Alert latency: motion onset in the stream to webhook received.

The test bed's intruder cameras walk a block into a still scene at known wall-clock instants (ONSET lines, taken
when the frame enters the encoder). A Release server analyses them at 5 fps with a rule that raises an alarm on any
motion (no minimum duration, armed or not) and a webhook target for alarms. A local HTTP receiver timestamps each
delivery. Latency = receipt time - the onset that the alarm belongs to. Reports p50/p95/max over all alarms.

Baseline, same run and stream: bare ffmpeg decoding every frame of one camera to gray, with the block found by a
bright-pixel count in the middle row: what the test bed's encoder, RTSP and the decoder alone cost. On top of that a
5 fps analyser adds up to one frame period (200 ms) of sampling delay.

Usage: bench/alerts/run.py [--cameras 5] [--seconds 90] [--out docs/benchmarks-alerts.json]
"""
import argparse, bisect, datetime, http.server, json, os, shutil, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "recording"))
from run import ROOT, TESTBED, Server, sh  # noqa: E402  (shared bench helpers)

PERIOD, ON = 6, 2


def start_intruders(n):
    args = ["/usr/bin/python3", os.path.join(TESTBED, "rtsp_server.py"), "--port", "0"]
    for i in range(n):
        args += ["--intruder", f"cam{i}:640x360@10:500:every{PERIOD}on{ON}"]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port, onsets = None, {}
    for line in p.stdout:
        if line.startswith("PORT "):
            port = int(line.split()[1])
        if line.strip() == "READY":
            break

    def read():
        for line in p.stdout:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ONSET":
                onsets.setdefault(parts[1], []).append(int(parts[2]) / 1000)
    threading.Thread(target=read, daemon=True).start()
    return p, port, onsets


def start_receiver():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            at = time.time()
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            received.append((at, json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, received


def bare_ffmpeg(url, onsets, mount, seconds):
    """Onset -> first decoded frame showing the block, for bare ffmpeg (every frame, no analysis; one decoder thread,
    as Argus: frame threads would add a frame of delay each)."""
    w, h = 640, 360
    ff = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-threads", "1", "-rtsp_transport", "tcp", "-i", url, "-an",
                           "-vf", "format=gray", "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"], stdout=subprocess.PIPE)
    seen, visible, end = [], False, time.time() + seconds
    while time.time() < end:
        frame = ff.stdout.read(w * h)
        if len(frame) < w * h:
            break
        now = time.time()
        row = frame[(h // 2) * w:(h // 2 + 1) * w]
        shown = sum(1 for b in row if b > 215) > 20
        if shown and not visible:
            seen.append(now)
        visible = shown
    ff.kill(); ff.wait()
    lat = []
    for t in seen:
        before = [o for o in onsets.get(mount, []) if o <= t]
        if before and t - before[-1] < PERIOD:
            lat.append(t - before[-1])
    return lat


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cameras", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=90)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks-alerts.json"))
    args = ap.parse_args()
    build = os.path.join(ROOT, ".build", "bench-server")
    sh("dotnet", "build", os.path.join(ROOT, "src", "Argus.Server"), "-c", "Release", "-o", build, "-nologo", "-v", "q")
    work = tempfile.mkdtemp(prefix="argus-bench-alerts-")
    bed, port, onsets = start_intruders(args.cameras)
    receiver, received = start_receiver()
    baseline = bare_ffmpeg(f"rtsp://127.0.0.1:{port}/cam0", onsets, "cam0", 30)
    server = Server(os.path.join(build, "argus-server.dll"), work)
    try:
        mounts = {}
        for i in range(args.cameras):
            cam = server.call("POST", "/api/cameras", {"name": f"Shop {i}", "mainUrl": f"rtsp://127.0.0.1:{port}/cam{i}",
                                                       "analysis": {"quietSeconds": 2}})["id"]
            mounts[cam] = f"cam{i}"
            server.call("POST", "/api/rules", {"name": f"Any motion {i}", "camera": cam, "minSeconds": 0, "whenArmed": False})
        server.call("POST", "/api/notifications/webhooks", {"url": f"http://127.0.0.1:{receiver.server_port}/hook",
                                                             "events": ["alarm"], "secret": "bench-secret-0123456789",
                                                             # every alarm is a sample: no per-camera de-dup, no rate limit
                                                             "dedupSeconds": 0, "maxPerMinute": 10000})
        start = time.time() + 10  # connections and background models settle
        time.sleep(10 + args.seconds)
    finally:
        server.stop()
        bed.terminate(); bed.wait()
        receiver.shutdown()
    latencies, detect, deliver, unmatched = [], [], [], 0
    for at, body in received:
        e = body.get("event", body)
        if e.get("type") != "alarm" or body.get("state", e.get("state")) != "new" or at < start:
            continue
        mount = mounts.get(e.get("camera") or e.get("cameraId"))
        times = sorted(onsets.get(mount, []))
        i = bisect.bisect_right(times, at) - 1
        if i < 0 or at - times[i] > PERIOD:
            unmatched += 1
            continue
        latencies.append(at - times[i])
        started = datetime.datetime.fromisoformat(e["start"].replace("Z", "+00:00")).timestamp()
        detect.append(started - times[i])   # onset -> the analysed frame that showed it
        deliver.append(at - started)        # that frame -> webhook received
    matched = {(mounts.get(b.get("cameraId")), round(datetime.datetime.fromisoformat(b["start"].replace("Z", "+00:00")).timestamp()))
               for at, b in received if b.get("type") == "alarm" and b.get("state") == "new"}
    missed = sorted((m, round(t - start, 1)) for m in mounts.values() for t in onsets.get(m, [])
                    if start <= t <= start + args.seconds - 2 and not any(mm == m and abs(s - t) < 2 for mm, s in matched))
    expected = sum(1 for m in mounts.values() for t in onsets.get(m, []) if start <= t <= start + args.seconds - 2)
    result = dict(cameras=args.cameras, seconds=args.seconds, onsets=expected, alarms=len(latencies), unmatched=unmatched, missed=missed,
                  p50_ms=round(1000 * pct(latencies, 50)) if latencies else None,
                  p95_ms=round(1000 * pct(latencies, 95)) if latencies else None,
                  max_ms=round(1000 * max(latencies)) if latencies else None,
                  detect_p50_ms=round(1000 * pct(detect, 50)) if detect else None, detect_p95_ms=round(1000 * pct(detect, 95)) if detect else None,
                  deliver_p50_ms=round(1000 * pct(deliver, 50)) if deliver else None, deliver_p95_ms=round(1000 * pct(deliver, 95)) if deliver else None,
                  bare_ffmpeg_samples=len(baseline), bare_ffmpeg_p50_ms=round(1000 * pct(baseline, 50)) if baseline else None,
                  bare_ffmpeg_p95_ms=round(1000 * pct(baseline, 95)) if baseline else None,
                  ratio_p50=round(pct(latencies, 50) / pct(baseline, 50), 2) if latencies and baseline else None)
    print(json.dumps(result), flush=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
