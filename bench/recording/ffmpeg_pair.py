#!/usr/bin/env python3
"""Argus's recording ffmpeg against the bare segmenter, camera by camera, with the connection order alternated.

N test-bed cameras (the 1080p25 4 Mb/s clip, no encoding). Each camera is read by two ffmpegs: the bare command of
bench/recording/run.py and the command Argus runs (RecordCommand: flushed fragments of 250 ms by default, segment list, progress
every 2 s). On even cameras bare connects first, on odd ones Argus's does, 2 s apart. Reports each process's CPU
(% of one core) and voluntary context switches per second over the window, then the mean of each command.
No Argus server: this isolates what the ffmpeg arguments cost.

Usage: bench/recording/ffmpeg_pair.py [--cameras 4] [--seconds 40] [--fragment-ms 250]   # Argus uses 250 by default
"""
import argparse, os, signal, subprocess, sys, tempfile, time, shutil

sys.path.insert(0, os.path.dirname(__file__))
from run import proc_times, start_testbed  # noqa: E402
from ffmpeg_variants import COPY, PROGRESS, SEG, argus_seg  # noqa: E402

CLIP = "/tmp/argus-bench/1080p25_4M.mp4"


def bare(url, d):
    return ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", url, *COPY, *SEG, f"{d}/%05d.mp4"]


def argus(url, d, fragment_ms=250):
    output = [a.replace("{dir}", d) for a in argus_seg(1000 * fragment_ms, flush=True)]
    return ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning", "-rtsp_transport", "tcp", "-timeout", "10000000",
            "-i", url, *COPY, *output, *PROGRESS, f"{d}/%06d.mp4"]


def switches(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cameras", type=int, default=4)
    ap.add_argument("--seconds", type=int, default=40)
    ap.add_argument("--fragment-ms", type=int, default=250, help="fragment duration of the Argus command")
    args = ap.parse_args()
    if not os.path.exists(CLIP):
        sys.exit(f"{CLIP} is missing: run bench/recording/run.py once (it makes the clip)")
    work = tempfile.mkdtemp(prefix="argus-ffpair-")
    bed, port = start_testbed(CLIP, args.cameras)
    procs = []
    try:
        for i in range(args.cameras):
            url = f"rtsp://127.0.0.1:{port}/cam{i}"
            mine = lambda u, d: argus(u, d, args.fragment_ms)
            order = [("bare", bare), ("argus", mine)] if i % 2 == 0 else [("argus", mine), ("bare", bare)]
            for position, (name, command) in enumerate(order):
                d = os.path.join(work, f"{name}{i}"); os.makedirs(d)
                procs.append((i, name, position, subprocess.Popen(command(url, d), stderr=subprocess.DEVNULL)))
                if position == 0:
                    time.sleep(2)
        time.sleep(15)  # connected and steady
        before = {p.pid: (proc_times(p.pid, children=False), switches(p.pid)) for *_, p in procs}
        t0 = time.time()
        time.sleep(args.seconds)
        after = {p.pid: (proc_times(p.pid, children=False), switches(p.pid)) for *_, p in procs}
        window = time.time() - t0
        totals = {"bare": [], "argus": []}
        for i, name, position, p in procs:
            cpu = 100 * (after[p.pid][0] - before[p.pid][0]) / window
            wakes = (after[p.pid][1] - before[p.pid][1]) / window
            totals[name].append(cpu)
            print(f"cam{i} {name:5s} connected {'first ' if position == 0 else 'second'}  cpu {cpu:.3f} % of a core  wake-ups {wakes:.0f}/s")
        mean = {k: sum(v) / len(v) for k, v in totals.items()}
        print(f"mean: bare {mean['bare']:.3f}, argus {mean['argus']:.3f} % of a core per camera, ratio {mean['argus'] / mean['bare']:.3f}")
    finally:
        for *_, p in procs:
            p.send_signal(signal.SIGINT)
        for *_, p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        bed.terminate(); bed.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
