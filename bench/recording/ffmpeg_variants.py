#!/usr/bin/env python3
"""What the recorder's ffmpeg command costs, variant by variant, against the bare segmenter, in one interleaved run.

No Argus server: N cameras of the 1080p25 4 Mb/s clip (the test bed, no encoding) are read by N ffmpegs with each
variant's arguments in turn, round after round, so the machine's drift hits every variant alike. A variant that writes
to stdout gets a drain (`cat` into a file) per ffmpeg, measured apart. Reports ffmpeg CPU in % of one core per camera
and its ratio to the bare command of the same round.

With --paired each variant runs at the same time as a bare set reading the same streams: both see the same load in
the same window, which makes small differences measurable.

Usage: bench/recording/ffmpeg_variants.py [--cameras 8] [--seconds 30] [--rounds 2] [--variants a,b,...] [--paired]
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
    # Argus from 2026-12-02 to -03 (live read from the segments, SegmentTail): 100 ms fragments, each flushed to the file
    "argus-100ms": (COPY + argus_seg(100000, True) + PROGRESS + ["{dir}/%06d.mp4"], False),
    # the same command twice: what --paired measures when nothing differs
    "bare-again": (COPY + SEG + ["{dir}/%05d.mp4"], False),
    "argus-100ms-noprogress": (COPY + argus_seg(100000, True) + ["{dir}/%06d.mp4"], False),
    "argus-100ms-unflushed": (COPY + argus_seg(100000, False) + PROGRESS + ["{dir}/%06d.mp4"], False),
    "argus-1s-flushed": (COPY + argus_seg(1000000, True) + PROGRESS + ["{dir}/%06d.mp4"], False),
    # Argus since 2026-12-03 (Recorder:FragmentDuration)
    "argus-250ms": (COPY + argus_seg(250000, True) + PROGRESS + ["{dir}/%06d.mp4"], False),
    # Argus's recording output alone before that (1 s fragments, not flushed; Recorder:Live=false)
    "argus-nolive": (COPY + ARGUS_SEG + PROGRESS + ["{dir}/%06d.mp4"], False),
    # Argus until 2026-12-02: live output (a fragment per frame) on stdout, then the segments
    "argus-live": (live() + COPY + ARGUS_SEG + PROGRESS + ["{dir}/%06d.mp4"], True),
    # the same with live fragments of ~100 ms (a keyframe still starts a fragment)
    "argus-live-100ms": (live("+empty_moov+default_base_moof+frag_keyframe+skip_trailer", ["-frag_duration", "100000"])
                         + COPY + ARGUS_SEG + PROGRESS + ["{dir}/%06d.mp4"], True),
    # one output only: the live stream, a fragment per frame (segments would be written by the reader)
    "live-only": (live(), True),
    "live-only-100ms": (live("+empty_moov+default_base_moof+frag_keyframe+skip_trailer", ["-frag_duration", "100000"]), True),
}


def start_variant(name, urls, workdir):
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
    return procs, drains


def measure(groups, seconds):
    """CPU of each (procs, drains) group over the same window, in % of one core per camera."""
    time.sleep(5)
    t0 = [([proc_times(p.pid, children=False) or 0 for p in ps], [proc_times(p.pid, children=False) or 0 for p in ds]) for ps, ds in groups]
    time.sleep(seconds)
    out = []
    for (ps, ds), (a, b) in zip(groups, t0):
        cpu = sum((proc_times(p.pid, children=False) or 0) - x for p, x in zip(ps, a))
        drain = sum((proc_times(p.pid, children=False) or 0) - x for p, x in zip(ds, b))
        out.append(dict(ffmpeg=100 * cpu / seconds / len(ps), drain=100 * drain / seconds / len(ps), alive=sum(1 for p in ps if p.poll() is None)))
    for ps, ds in groups:
        for p in ps:
            p.send_signal(signal.SIGINT)
    for ps, ds in groups:
        for p in ps + ds:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    return out


def run_variant(name, urls, seconds, workdir):
    return measure([start_variant(name, urls, workdir)], seconds)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cameras", type=int, default=8)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--clip", default="/tmp/argus-bench/1080p25_4M.mp4")
    ap.add_argument("--paired", action="store_true", help="run each variant at the same time as a bare set on the same streams (same load, same window)")
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
                if a.paired:
                    if n == "bare":
                        continue
                    b, res = measure([start_variant("bare", urls, work), start_variant(n, urls, work)], a.seconds)
                    results["bare"].append(b)
                    print(f"round {r + 1} {'bare':18s} ffmpeg {b['ffmpeg']:.3f} %/camera (paired with {n})", flush=True)
                else:
                    res = run_variant(n, urls, a.seconds, work)
                results[n].append(res)
                print(f"round {r + 1} {n:18s} ffmpeg {res['ffmpeg']:.3f} %/camera  drain {res['drain']:.3f}  alive {res['alive']}/{a.cameras}", flush=True)
                shutil.rmtree(work); os.makedirs(work)
    finally:
        bed.terminate(); bed.wait()
        shutil.rmtree(work, ignore_errors=True)
    print("\nvariant             ffmpeg %/camera (rounds)            ratio to bare (same round)")
    others = [n for n in names if n != "bare"]
    for n in names:
        vals = [x["ffmpeg"] for x in results[n]]
        bares = results["bare"][others.index(n)::len(others)] if a.paired and n != "bare" else results["bare"]
        ratios = [x["ffmpeg"] / b["ffmpeg"] for x, b in zip(results[n], bares)]
        print(f"{n:18s}  {' '.join(f'{v:.3f}' for v in vals):34s}  {' '.join(f'{q:.2f}' for q in ratios)}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
