#!/usr/bin/env python3
"""Live fan-out benchmark: one 1080p25 4 Mb/s RTSP camera, 0 / 1 / 10 / 50 concurrent WebSocket viewers.

The test bed serves one pre-encoded clip (tools/testbed/make_clip.sh, no encoding in the test bed) with --stats, so
every RTSP connection it accepts is counted. A fresh server (Release build) records the camera; after a warm-up, each
phase connects N viewers to /api/cameras/{id}/live (a stdlib WebSocket client, one thread, non-blocking sockets) and
measures over the window: CPU of the server process and of its ffmpeg (utime+stime from /proc), bytes and fragments
each viewer received, and dropped fragments (argus_live_dropped_fragments_total). Phase 0 is the baseline for CPU per
viewer. Last, the recording cost of the live output: two bare ffmpegs with the recorder's exact arguments, one with and
one without the second (live) output, read the same camera at the same time for the window.

Usage: bench/live/fanout.py [--viewers 0,1,10,50] [--seconds 60] [--out docs/benchmarks-live.json]
"""
import argparse, base64, json, os, resource, selectors, socket, struct, subprocess, sys, tempfile, threading, time, shutil

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "recording"))
import run  # noqa: E402  (same test bed, server and CPU helpers)
from run import ROOT, Server, descendants, prepare, proc_times  # noqa: E402

WARMUP = 30


class Viewer:
    """A minimal RFC 6455 client: handshake, then counts the server's frames (server frames are never masked)."""

    def __init__(self, port, path, token):
        self.sock = socket.create_connection(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("connection closed during the handshake")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise RuntimeError(f"handshake refused: {status!r}")
        self.buf = bytearray(head.split(b"\r\n\r\n", 1)[1])
        self.sock.setblocking(False)
        self.bytes = self.fragments = self.inits = 0
        self.first_type = None
        self.closed = False

    def on_readable(self):
        try:
            chunk = self.sock.recv(1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            self.closed = True
            return
        self.buf += chunk
        self._parse()

    def _parse(self):
        buf = self.buf
        pos = 0
        while len(buf) - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            n, h = b1 & 0x7F, 2
            if n == 126:
                if len(buf) - pos < 4:
                    break
                n, h = struct.unpack_from(">H", buf, pos + 2)[0], 4
            elif n == 127:
                if len(buf) - pos < 10:
                    break
                n, h = struct.unpack_from(">Q", buf, pos + 2)[0], 10
            if len(buf) - pos < h + n:
                break
            op = b0 & 0x0F
            if op == 1:
                self.inits += 1
                if self.first_type is None:
                    self.first_type = json.loads(bytes(buf[pos + h:pos + h + n]))["type"]
            elif op == 2:
                self.fragments += 1
                self.bytes += n
            elif op == 8:
                self.closed = True
            elif op == 9:
                self._send(0xA, bytes(buf[pos + h:pos + h + n]))
            pos += h + n
        del buf[:pos]

    def _send(self, op, payload=b""):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.setblocking(True)
        self.sock.sendall(bytes([0x80 | op, 0x80 | len(payload)]) + mask + masked)
        self.sock.setblocking(False)

    def close(self):
        try:
            self._send(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()


def watch_clients(bed, seen):
    for line in bed.stdout:
        if line.startswith("CLIENT "):
            seen.append(line.strip())


def start_testbed(clip):
    """One mount (cam0) with --stats; the CLIENT lines it prints per RTSP connection are collected in the list."""
    p, port = run.start_testbed(clip, 1, extra=["--stats"])
    seen = []
    threading.Thread(target=watch_clients, args=(p, seen), daemon=True).start()
    return p, port, seen


def metric(server, name):
    text = server.call("GET", "/metrics", raw=True).decode()
    return sum(float(l.split()[-1]) for l in text.splitlines() if l.startswith(name + "{"))


def phase(server, cid, n, seconds):
    viewers = [Viewer(server.port, f"/api/cameras/{cid}/live", server.token) for _ in range(n)]
    sel = selectors.DefaultSelector()
    for v in viewers:
        sel.register(v.sock, selectors.EVENT_READ, v)
    # Let every viewer get its init and start-up GOP before the window opens.
    settle = time.time() + 3
    while time.time() < settle:
        for key, _ in sel.select(0.2):
            key.data.on_readable()
    drops0 = metric(server, "argus_live_dropped_fragments_total")
    b0 = [(v.bytes, v.fragments) for v in viewers]
    own0, tree0 = proc_times(server.p.pid), server_tree(server)
    me0 = resource.getrusage(resource.RUSAGE_SELF)
    w0 = time.time()
    while time.time() < w0 + seconds:
        for key, _ in sel.select(0.2):
            key.data.on_readable()
    w1 = time.time()
    own1, tree1 = proc_times(server.p.pid), server_tree(server)
    me1 = resource.getrusage(resource.RUSAGE_SELF)
    drops = metric(server, "argus_live_dropped_fragments_total") - drops0
    window = w1 - w0
    got = [(v.bytes - b[0], v.fragments - b[1]) for v, b in zip(viewers, b0)]
    ok = all(v.first_type == "init" and not v.closed for v in viewers)
    for v in viewers:
        v.close()
    return dict(viewers=n, window_s=round(window, 1),
                server_cpu_pct=round(100 * (own1 - own0) / window, 2),
                ffmpeg_cpu_pct=round(100 * ((tree1 - tree0) - (own1 - own0)) / window, 2),
                client_cpu_pct=round(100 * ((me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime)) / window, 2),
                mb_per_viewer=round(sum(g[0] for g in got) / max(n, 1) / 1e6, 2),
                min_mb_per_viewer=round(min((g[0] for g in got), default=0) / 1e6, 2),
                fps_per_viewer=round(sum(g[1] for g in got) / max(n, 1) / window, 2),
                dropped_fragments=int(drops), all_viewers_started_with_init_and_stayed=ok)


def server_tree(server):
    """Server plus its live children (ffmpeg under its /bin/sh wrapper)."""
    return (proc_times(server.p.pid) or 0) + sum(proc_times(c, children=False) or 0 for c in descendants(server.p.pid))


def record_args(url, workdir, name, live):
    """The recorder's ffmpeg arguments (RecordCommand.Build), with or without the live output."""
    d = os.path.join(workdir, name)
    os.makedirs(d)
    args = ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning", "-rtsp_transport", "tcp", "-timeout", "10000000", "-i", url]
    if live:
        args += ["-map", "0:v:0", "-c", "copy", "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+frag_every_frame+skip_trailer",
                 "-flush_packets", "1", "pipe:1"]
    args += ["-map", "0:v:0", "-c", "copy", "-f", "segment", "-segment_time", "10", "-reset_timestamps", "1", "-segment_format", "mp4",
             "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=1000000",
             "-segment_list", os.path.join(d, "list.csv"), "-segment_list_type", "csv", "-progress", "pipe:2", "-stats_period", "2",
             os.path.join(d, "%06d.mp4")]
    return args


def live_output_cost(url, seconds, workdir):
    procs = {}
    for name, live in (("without", False), ("with", True)):
        # stdout goes to /dev/null: drained for free, as the server drains it into the live channel.
        procs[name] = subprocess.Popen(record_args(url, workdir, name, live), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(5)
    t0 = {k: proc_times(p.pid) for k, p in procs.items()}
    time.sleep(seconds)
    cpu = {k: 100 * (proc_times(p.pid) - t0[k]) / seconds for k, p in procs.items()}
    for p in procs.values():
        p.terminate()
        p.wait(10)
    return dict(ffmpeg_cpu_pct_without_live=round(cpu["without"], 3), ffmpeg_cpu_pct_with_live=round(cpu["with"], 3),
                ratio=round(cpu["with"] / cpu["without"], 3))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--viewers", default="0,1,10,50")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks-live.json"))
    args = ap.parse_args()
    dll, clip = prepare("bench-live")
    work = tempfile.mkdtemp(prefix="argus-bench-live-")
    bed, port, clients = start_testbed(clip)
    url = f"rtsp://127.0.0.1:{port}/cam0"
    results = dict(camera="1920x1080 25 fps 4 Mb/s H.264 (make_clip.sh), RTSP over TCP", seconds=args.seconds, phases=[])
    try:
        data = os.path.join(work, "argus")
        os.makedirs(data)
        server = Server(dll, data)
        try:
            cid = server.call("POST", "/api/cameras", {"name": "cam", "mainUrl": url, "analysis": {"enabled": False}})["id"]
            deadline = time.time() + 60
            while time.time() < deadline and server.call("GET", f"/api/cameras/{cid}")["status"] != "online":
                time.sleep(0.5)
            time.sleep(WARMUP)
            for n in [int(x) for x in args.viewers.split(",")]:
                row = phase(server, cid, n, args.seconds)
                print(json.dumps(row), flush=True)
                results["phases"].append(row)
            results["rtsp_connections_during_server_run"] = len(clients)
        finally:
            server.stop()
        base = next((p for p in results["phases"] if p["viewers"] == 0), None)
        if base:
            for p in results["phases"]:
                if p["viewers"]:
                    p["server_cpu_pct_per_viewer"] = round((p["server_cpu_pct"] - base["server_cpu_pct"]) / p["viewers"], 3)
        results["live_output_cost"] = live_output_cost(url, args.seconds, work)
        print(json.dumps(results["live_output_cost"]), flush=True)
    finally:
        bed.terminate()
        bed.wait()
        shutil.rmtree(work, ignore_errors=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print(f"RTSP connections the camera saw while the server ran: {results.get('rtsp_connections_during_server_run')}")


if __name__ == "__main__":
    main()
