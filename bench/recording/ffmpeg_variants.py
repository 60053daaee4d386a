#!/usr/bin/env python3
"""What the recorder's ffmpeg command costs, variant by variant, against the bare segmenter, in one interleaved run.

No Argus server: N cameras of the 1080p25 4 Mb/s clip (the test bed, no encoding) are read by N ffmpegs with each
variant's arguments in turn, round after round, so the machine's drift hits every variant alike. A variant that writes
to stdout gets a drain (`cat` into a file) per ffmpeg, measured apart. Reports ffmpeg CPU in % of one core per camera
and its ratio to the bare command of the same round.

Usage: bench/recording/ffmpeg_variants.py [--cameras 8] [--seconds 30] [--rounds 2] [--variants a,b,...]
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(__file__))
from run import ROOT, TESTBED, proc_times, start_testbed  # noqa: E402

COPY = ["-map", "0:v:0", "-c", "copy"]
SEG = ["-f", "segment", "-segment_time", "10", "-reset_timestamps", "1", "-segment_format", "mp4"]
ARGUS_SEG = SEG + ["-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=1000000",
                   "-segment_list", "{dir}/list.csv", "-segment_list_type", "csv"]
PROGRESS = ["-progress", "pipe:2", "-stats_period", "2"]
LIVE_FLAGS = "+empty_moov+default_base_moof+frag_every_frame+skip_trailer"


def live(movflags=LIVE_FLAGS, extra=()):
    return [*COPY, "-f", "mp4", "-movflags", movflags, *extra, "-flush_packets", "1", "pipe:1"]


def argus_seg(frag_micros, flush):
    opts = f"movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration={frag_micros}" + (":flush_packets=1" if flush else "")
    return SEG + ["-segment_format_options", opts, "-segment_list", "{dir}/list.csv", "-segment_list_type", "csv"]


VARIANTS = {
    # the baseline of bench/recording/run.py
    "bare": (COPY + SEG + ["{dir}/%05d.mp4"], False),
    # Argus since live reads the segments (SegmentTail): 100 ms fragments, each flushed to the file
    "argus-100ms": (COPY + argus_seg(100000, True) + PROGRESS + ["{dir}/%06d.mp4"], False),
    "argus-250ms": (COPY + argus_seg(250000, True) + PROGRESS + ["{dir}/%06d.mp4"], False),
    # Argus's recording output alone before that (1 s fragments, not flushed; Recorder:Live=false)
    "argus-nolive": (COPY + ARGUS_SEG + PROGRESS + ["{dir}/%06d.mp4"], False),
    # Argus today: live output (a fragment per frame) on stdout, then the segments
    "argus-live": (live() + COPY + ARGUS_SEG + PROGRESS + ["{dir}/%06d.mp4"], True),
    # the same with live fragments of ~100 ms (a keyframe still starts a fragment)
    "argus-live-100ms": (live("+empty_moov+default_base_moof+frag_keyframe+skip_trailer", ["-frag_duration", "100000"])
                         + COPY + ARGUS_SEG + PROGRESS + ["{dir}/%06d.mp4"], True),
    # one output only: the live stream, a fragment per frame (segments would be written by the reader)
    "live-only": (live(), True),
    "live-only-100ms": (live("+empty_moov+default_base_moof+frag_keyframe+skip_trailer", ["-frag_duration", "100000"]), True),
}


def run_variant(name, urls, seconds, workdir):
    out_args, piped = VARIANTS[name]
    procs, drains = [], []
    for i, url in enumerate(urls):
        d = os.path.join(workdir, f"{name}-{i}-{time.time_ns()}"); os.makedirs(d)
        args = ["ffmpeg", "-hide_banner", "-nostdin", *([] if name == "bare" else ["-nostats"]), "-loglevel", "error", "-rtsp_transport", "tcp",
                "-timeout", "10000000", "-i", url, *[a.replace("{dir}", d) for a in out_args]]
        if piped:
            p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            drains.append(subprocess.Popen(["cat"], stdin=p.stdout, stdout=open(os.path.join(d, "live.mp4"), "wb")))
            p.stdout.close()
        else:
            p = subprocess.Popen(args, stderr=subprocess.DEVNULL)
        procs.append(p)
    time.sleep(5)
    t0 = [proc_times(p.pid, children=False) or 0 for p in procs]
    d0 = [proc_times(p.pid, children=False) or 0 for p in drains]
    time.sleep(seconds)
    cpu = sum((proc_times(p.pid, children=False) or 0) - a for p, a in zip(procs, t0))
    drain = sum((proc_times(p.pid, children=False) or 0) - a for p, a in zip(drains, d0))
    alive = sum(1 for p in procs if p.poll() is None)
    for p in procs:
        p.send_signal(signal.SIGINT)
    for p in procs + drains:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    n = len(urls)
    return dict(ffmpeg=100 * cpu / seconds / n, drain=100 * drain / seconds / n, alive=alive)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cameras", type=int, default=8)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--clip", default="/tmp/argus-bench/1080p25_4M.mp4")
    a = ap.parse_args()
    names = a.variants.split(",")
    if "bare" not in names:
        names.insert(0, "bare")
    if not os.path.exists(a.clip):
        subprocess.run([os.path.join(TESTBED, "make_clip.sh"), a.clip, "1920x1080", "25", "4000", "60"], check=True)
    bed, port = start_testbed(a.clip, a.cameras)
    urls = [f"rtsp://127.0.0.1:{port}/cam{i}" for i in range(a.cameras)]
    work = tempfile.mkdtemp(prefix="argus-ffvar-")
    results = {n: [] for n in names}
    try:
        for r in range(a.rounds):
            for n in names:
                res = run_variant(n, urls, a.seconds, work)
                results[n].append(res)
                print(f"round {r + 1} {n:18s} ffmpeg {res['ffmpeg']:.3f} %/camera  drain {res['drain']:.3f}  alive {res['alive']}/{a.cameras}", flush=True)
                shutil.rmtree(work); os.makedirs(work)
    finally:
        bed.terminate(); bed.wait()
        shutil.rmtree(work, ignore_errors=True)
    print("\nvariant             ffmpeg %/camera (rounds)            ratio to bare (same round)")
    for n in names:
        vals = [x["ffmpeg"] for x in results[n]]
        ratios = [x["ffmpeg"] / b["ffmpeg"] for x, b in zip(results[n], results["bare"])]
        print(f"{n:18s}  {' '.join(f'{v:.3f}' for v in vals):34s}  {' '.join(f'{q:.2f}' for q in ratios)}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
