#!/usr/bin/env python3
"""Misbehaving / non-RTSP endpoints on loopback for Argus negative tests.

HTTP on --port (127.0.0.1):
  /html    200 text/html page (a "camera web UI", not a stream)
  /mjpeg   MJPEG over HTTP: multipart/x-mixed-replace of JPEG frames, forever
  /        plain-text index of the above; anything else is 404
--garbage-port N   TCP: accepts and sends random bytes forever
--silent-port N    TCP: accepts, reads, never answers (timeout tests)

Prints "PORT <n>" (actual HTTP port; --port 0 = ephemeral) and the other
ports, then "READY" (flushed). Exits on SIGTERM/SIGINT. Stdlib only; the
JPEG frames are made once at start with ffmpeg into a temporary directory.
"""

import argparse
import glob
import http.server
import os
import shutil
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

HTML = b"""<!DOCTYPE html>
<html><head><title>IP Camera</title></head>
<body><h1>IP Camera Web Interface</h1>
<p>This is an HTML page, not a video stream.</p>
<form action="/login" method="post"><input name="user"><input name="pass" type="password"></form>
</body></html>
"""

BOUNDARY = "argusframe"


def log(msg):
    sys.stderr.write("[bad_servers] %s\n" % msg)
    sys.stderr.flush()


def make_jpegs(size, fps, seconds=2):
    tmp = tempfile.mkdtemp(prefix="argus-mjpeg-")
    cmd = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
        "-f", "lavfi", "-i", "testsrc2=size=%s:rate=%d" % (size, fps),
        "-t", str(seconds), "-q:v", "5", os.path.join(tmp, "f%04d.jpg"),
    ]
    subprocess.run(cmd, check=True)
    frames = []
    for p in sorted(glob.glob(os.path.join(tmp, "f*.jpg"))):
        with open(p, "rb") as f:
            frames.append(f.read())
    shutil.rmtree(tmp, ignore_errors=True)
    if not frames:
        raise RuntimeError("ffmpeg produced no JPEG frames")
    return frames


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "FakeCam/1.0"
    protocol_version = "HTTP/1.0"
    frames = []
    fps = 10

    def log_message(self, fmt, *args):
        log("http %s - %s" % (self.client_address[0], fmt % args))

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/html":
            self._send(200, "text/html; charset=utf-8", HTML)
        elif path == "/mjpeg":
            self._mjpeg()
        elif path == "/":
            self._send(200, "text/plain", b"/html\n/mjpeg\n")
        else:
            self._send(404, "text/plain", b"not found\n")

    def do_HEAD(self):
        self.do_GET()

    def _send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _mjpeg(self):
        self.send_response(200)
        self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=%s" % BOUNDARY)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if self.command == "HEAD":
            return
        period = 1.0 / self.fps
        nxt = time.monotonic()
        i = 0
        try:
            while True:
                jpg = self.frames[i % len(self.frames)]
                self.wfile.write(
                    b"--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n"
                    % (BOUNDARY.encode(), len(jpg)))
                self.wfile.write(jpg)
                self.wfile.write(b"\r\n")
                self.wfile.flush()
                i += 1
                nxt += period
                delay = nxt - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                else:
                    nxt = time.monotonic()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass


class ThreadingHTTPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class GarbageHandler(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            while True:
                self.request.sendall(os.urandom(4096))
                time.sleep(0.01)  # ~400 KB/s per client, keeps CPU low
        except OSError:
            pass


class SilentHandler(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            while self.request.recv(4096):
                pass
        except OSError:
            pass


class ThreadingTCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8080, help="HTTP port (0 = ephemeral)")
    ap.add_argument("--address", default="127.0.0.1")
    ap.add_argument("--garbage-port", type=int, help="TCP port that sends random bytes")
    ap.add_argument("--silent-port", type=int, help="TCP port that accepts and never answers")
    ap.add_argument("--mjpeg-size", default="640x360")
    ap.add_argument("--mjpeg-fps", type=int, default=10)
    args = ap.parse_args(argv)

    Handler.frames = make_jpegs(args.mjpeg_size, args.mjpeg_fps)
    Handler.fps = args.mjpeg_fps

    servers = []
    httpd = ThreadingHTTPServer((args.address, args.port), Handler)
    servers.append(httpd)
    print("PORT %d" % httpd.server_address[1])
    print("HTML http://%s:%d/html" % (args.address, httpd.server_address[1]))
    print("MJPEG http://%s:%d/mjpeg" % (args.address, httpd.server_address[1]))
    if args.garbage_port is not None:
        g = ThreadingTCPServer((args.address, args.garbage_port), GarbageHandler)
        servers.append(g)
        print("GARBAGE tcp://%s:%d" % (args.address, g.server_address[1]))
    if args.silent_port is not None:
        s = ThreadingTCPServer((args.address, args.silent_port), SilentHandler)
        servers.append(s)
        print("SILENT tcp://%s:%d" % (args.address, s.server_address[1]))

    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("READY", flush=True)
    while not stop.wait(1.0):
        pass
    log("signal received, exiting")
    for srv in servers:
        srv.shutdown()
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
