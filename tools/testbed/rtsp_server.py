#!/usr/bin/python3
"""Fake RTSP cameras on loopback for Argus integration tests and benchmarks.

One process serves several mount points on 127.0.0.1:<port>:

  --synthetic NAME[:WxH[@FPS[:KBPS[:PATTERN]]]]
        live videotestsrc (pattern=ball by default) encoded with x264
        (tune=zerolatency, ultrafast, keyframe every 2 s). Shared media:
        all clients of a mount share one encoder.
  --file NAME=PATH
        an H.264 mp4/mkv/... served WITHOUT re-encoding, looped forever at
        real-time pace. Timestamps keep increasing across loops. Shared.
  --clock NAME[:WxH[@FPS[:KBPS]]]
        latency camera: every frame carries, as a black/white stripe at the
        top, the wall-clock time (Unix ms) at which it was pushed into the
        encoder (format: see clock_stripe_row; reader: bench/live/stripe.js).
  --intruder NAME[:WxH[@FPS[:KBPS[:everyPonD]]]]
        motion camera: a still scene into which a bright block walks for D s
        every P s (default every10on3), starting on wall-clock multiples of
        P s. Prints "ONSET <name> <unix ms>" (flushed) when the first frame
        with the block is pushed into the encoder: the ground truth for
        motion tests and the alert-latency benchmark.
  --user U --password P
        require RTSP basic or digest auth on every mount.

Prints "PORT <n>", one "MOUNT <name> <url>" line per mount, then "READY"
(flushed) once listening. With --stats it then prints "CLIENT <n> <ip>"
(flushed) for each RTSP connection accepted, n counting from 1 (read stdout
after READY when using it, or the server blocks once the pipe is full). --port 0 picks an ephemeral port (see PORT line).
Exits cleanly on SIGTERM/SIGINT.

Must run with Debian's /usr/bin/python3 (it has the gi bindings).
"""

import argparse
import bisect
import re
import signal
import sys
import threading
import time
import urllib.parse

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstApp, GstRtsp, GstRtspServer, GstVideo  # noqa: E402,F401

SYN_RE = re.compile(
    r"^(?P<name>[A-Za-z0-9_.\-/]+)"
    r"(?::(?P<w>\d+)x(?P<h>\d+))?"
    r"(?:@(?P<fps>\d+))?"
    r"(?::(?P<kbps>\d+))?"
    r"(?::(?P<pattern>[a-z0-9\-]+))?$"
)

# Push each access unit this long before its DTS (running time); timestamps
# are also shifted by this much into the future so sinks never see late data.
LEAD_NS = 40 * Gst.MSECOND


def log(msg):
    sys.stderr.write("[rtsp_server] %s\n" % msg)
    sys.stderr.flush()


# --------------------------------------------------------------------------
# Synthetic cameras
# --------------------------------------------------------------------------

def synthetic_launch(name, w, h, fps, kbps, pattern):
    overlay = ""
    if Gst.ElementFactory.find("clockoverlay"):
        # clockoverlay lives in gstreamer1.0-x (pango); optional.
        overlay = (
            '! clockoverlay text="%s" time-format="%%H:%%M:%%S" '
            'font-desc="Sans, %d" shaded-background=true ' % (name, max(8, h // 36))
        )
    return (
        "( videotestsrc is-live=true pattern=%s "
        "! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1 "
        "%s"
        "! x264enc name=enc tune=zerolatency speed-preset=ultrafast key-int-max=%d "
        "bitrate=%d byte-stream=true sliced-threads=false "
        "! video/x-h264,profile=constrained-baseline "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 )"
        % (pattern, w, h, fps, overlay, fps * 2, kbps)
    )


# --------------------------------------------------------------------------
# Clock cameras (latency measurement)
# --------------------------------------------------------------------------

# Stripe layout, left to right, STRIPE_BLOCKS equal blocks centred in the
# frame width: white, black (references), 48 bits of Unix ms (MSB first),
# 8 bits CRC-8 (poly 0x07, init 0) of those 6 bytes big-endian, black, white.
# Block width = W // STRIPE_BLOCKS (21 px at 1280), band height
# min(32, H // 8). Must match bench/live/stripe.js.
STRIPE_BLOCKS = 60
Y_WHITE, Y_BLACK, Y_SCENE = 235, 16, 96


def crc8(data):
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def clock_stripe_row(w, ms):
    """One luma row of the stripe for time ms."""
    bw = w // STRIPE_BLOCKS
    x0 = (w - bw * STRIPE_BLOCKS) // 2
    value = ms & ((1 << 48) - 1)
    word = (value << 8) | crc8(value.to_bytes(6, "big"))
    white, black = bytes([Y_WHITE]) * bw, bytes([Y_BLACK]) * bw
    parts = [bytes([Y_BLACK]) * x0, white, black]
    parts += [white if (word >> (55 - i)) & 1 else black for i in range(56)]
    parts += [black, white, bytes([Y_BLACK]) * (w - x0 - bw * STRIPE_BLOCKS)]
    return b"".join(parts)


class ClockFeeder:
    """Pushes I420 frames into a (shared) media's appsrc at FPS. The time in
    the stripe is read just before the push; appsrc do-timestamp stamps the
    buffer with the running time of that same moment, so the stripe tells
    when the frame entered the encoder. Below the stripe a bar moves so the
    picture changes like a camera's would."""

    def __init__(self, mount, appsrc, media, w, h, fps):
        self.mount, self.appsrc, self.w, self.h, self.fps = mount, appsrc, w, h, fps
        self.band = min(32, h // 8)
        self.chroma = bytes([128]) * (w * h // 2)
        self.stop = threading.Event()
        self.started = threading.Event()
        appsrc.connect("need-data", lambda _s, _l: self.started.set())
        media.connect("unprepared", self._on_unprepared)
        threading.Thread(target=self._run, name="clock-" + mount, daemon=True).start()

    def _on_unprepared(self, _media):
        self.stop.set()
        self.started.set()

    def _scene(self, n):
        w, bar = self.w, max(8, self.w // 64)
        x = (n * 8) % (w - bar)
        row = bytes([Y_SCENE]) * x + bytes([Y_WHITE]) * bar + bytes([Y_SCENE]) * (w - x - bar)
        return row * (self.h - self.band)

    def frame(self, n, ms):
        """Frame n, pushed at wall-clock ms: the time stripe over the moving bar."""
        return clock_stripe_row(self.w, ms) * self.band + self._scene(n) + self.chroma

    def _run(self):
        self.started.wait()
        period = 1.0 / self.fps
        start = time.monotonic()
        n = 0
        log("%s: feeding started" % self.mount)
        while not self.stop.is_set():
            delay = start + n * period - time.monotonic()
            if delay > 0:
                self.stop.wait(delay)
                continue
            if delay < -1.0:
                # Fell far behind (machine stalled): restart the cadence rather than bursting.
                start, n = time.monotonic(), 0
            frame = self.frame(n, time.time_ns() // 1_000_000)
            ret = self.appsrc.emit("push-buffer", Gst.Buffer.new_wrapped(frame))
            if ret != Gst.FlowReturn.OK:
                log("%s: push returned %s, stopping clock" % (self.mount, ret.value_nick))
                break
            n += 1
        log("%s: feeding stopped after %d frames" % (self.mount, n))


INTRUDER_RE = re.compile(r"^every(?P<period>\d+)on(?P<on>\d+)$")


class IntruderFeeder(ClockFeeder):
    """A still, textured scene; for ON s of every PERIOD s (aligned to the wall
    clock) a bright block crosses it. Announces each onset on stdout."""

    def __init__(self, mount, appsrc, media, w, h, fps, period, on):
        self.period_ms, self.on_ms = period * 1000, on * 1000
        # A fixed texture: vertical bands of different grays, like walls and shelves.
        row = bytes((60 + (x // 40) * 23 % 120) for x in range(w))
        self.background = [row] * h
        self.visible = False
        super().__init__(mount, appsrc, media, w, h, fps)

    def frame(self, _n, ms):
        phase = ms % self.period_ms
        if phase >= self.on_ms:
            self.visible = False
            return b"".join(self.background) + self.chroma
        if not self.visible:
            self.visible = True
            # Started mid-crossing (camera just came up): not an onset anyone could time.
            if phase < 2000 / self.fps:
                print("ONSET %s %d" % (self.mount, ms), flush=True)
        w, h = self.w, self.h
        bw, bh = max(16, w // 8) & ~1, max(16, h // 3) & ~1
        x = int((w - bw) * phase / self.on_ms) & ~1
        y0 = h // 3
        rows = self.background[:y0]
        for r in range(y0, y0 + bh):
            bg = self.background[r]
            rows.append(bg[:x] + bytes([225]) * bw + bg[x + bw:])
        rows += self.background[y0 + bh:]
        return b"".join(rows) + self.chroma


def clock_launch(w, h, fps, kbps):
    # threads=1: x264 frame threads would hold frames back; a clock camera
    # must add as little encoder delay as a good real camera does.
    return (
        "( appsrc name=src is-live=true format=time do-timestamp=true block=false "
        "caps=video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1 "
        "! x264enc name=enc tune=zerolatency speed-preset=ultrafast key-int-max=%d "
        "bitrate=%d threads=1 byte-stream=true "
        "! video/x-h264,profile=constrained-baseline "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 )"
        % (w, h, fps, fps, kbps)
    )


# --------------------------------------------------------------------------
# Looping file mounts (no re-encoding)
# --------------------------------------------------------------------------

class Clip:
    """All H.264 access units of a file, demuxed once into memory."""

    def __init__(self, path):
        self.path = path
        self.caps = None
        self.units = []  # (bytes, pts_rel, dts_rel, duration, is_delta)
        self.keys = []  # indices of keyframes in units
        self.frame_ns = Gst.SECOND // 25
        self.loop_ns = 0
        self._load()

    def _load(self):
        # Buffers are taken with a pad probe, not an appsink: a sink would drop
        # buffers outside the segment (e.g. the last frame of an mp4 whose
        # edit list ends before it), and those may be reference frames.
        pipe = Gst.parse_launch(
            "filesrc name=src ! parsebin ! h264parse name=parse config-interval=-1 "
            "! video/x-h264,stream-format=byte-stream,alignment=au "
            "! fakesink sync=false"
        )
        pipe.get_by_name("src").set_property("location", self.path)
        raw = []

        def on_buffer(pad, info):
            buf = info.get_buffer()
            if self.caps is None:
                self.caps = pad.get_current_caps()
            raw.append((
                buf.extract_dup(0, buf.get_size()),
                buf.pts, buf.dts, buf.duration,
                bool(buf.get_flags() & Gst.BufferFlags.DELTA_UNIT),
            ))
            return Gst.PadProbeReturn.OK

        pipe.get_by_name("parse").get_static_pad("src").add_probe(
            Gst.PadProbeType.BUFFER, on_buffer)
        pipe.set_state(Gst.State.PLAYING)
        bus = pipe.get_bus()
        msg = bus.timed_pop_filtered(120 * Gst.SECOND,
                                     Gst.MessageType.EOS | Gst.MessageType.ERROR)
        pipe.set_state(Gst.State.NULL)
        if msg is None:
            raise RuntimeError("%s: timed out reading the file" % self.path)
        err = msg if msg.type == Gst.MessageType.ERROR else None
        if err is not None:
            e, dbg = err.parse_error()
            hint = " (no H.264 video stream?)" if "not-linked" in (dbg or "") else ""
            raise RuntimeError("%s: %s%s" % (self.path, e.message, hint))
        if not raw:
            raise RuntimeError("%s: no H.264 video found" % self.path)

        # Framerate for missing durations.
        st = self.caps.get_structure(0)
        ok, num, den = st.get_fraction("framerate")
        frame_ns = Gst.SECOND * den // num if ok and num > 0 else Gst.SECOND // 25

        def valid(t):
            return t is not None and t != Gst.CLOCK_TIME_NONE

        # Fill in missing DTS (use PTS) and compute a common origin.
        fixed = []
        for data, pts, dts, dur, delta in raw:
            if not valid(dts):
                dts = pts
            if not valid(pts):
                pts = dts
            if not valid(dur) or dur == 0:
                dur = frame_ns
            fixed.append((data, pts, dts, dur, delta))
        if not valid(fixed[0][2]):
            # No timestamps at all: synthesise from framerate.
            fixed = [(d, i * frame_ns, i * frame_ns, frame_ns, dl)
                     for i, (d, _p, _t, _u, dl) in enumerate(fixed)]
        origin = min(min(u[1], u[2]) for u in fixed)
        self.units = [(d, p - origin, t - origin, u, dl) for d, p, t, u, dl in fixed]
        self.keys = [i for i, u in enumerate(self.units) if not u[4]]
        self.frame_ns = frame_ns
        # Loop period: DTS must continue with a constant step across the loop
        # point, and every PTS of loop n+1 must come after all PTS of loop n.
        last = self.units[-1]
        self.loop_ns = last[2] + last[3]
        min_pts = min(u[1] for u in self.units)
        max_pts = max(u[1] for u in self.units)
        if self.loop_ns + min_pts <= max_pts:
            self.loop_ns = max_pts - min_pts + frame_ns
        if self.units[0][4]:
            log("warning: %s does not start with a keyframe" % self.path)
        log("loaded %s: %d access units, loop %.3f s, caps %s" % (
            self.path, len(self.units), self.loop_ns / Gst.SECOND,
            self.caps.to_string()))


class FileFeeder:
    """Feeds one (shared) media's appsrc with the clip, looping forever.

    Output timestamps: out = t_off + loop * clip.loop_ns + unit timestamp, so
    they keep increasing with a constant step across loop points. On
    request_keyframe() (a client started playing) the feeder jumps ahead to
    the clip's next keyframe so the new client can decode at once, the way
    cameras start each session with an I-frame; timestamps stay continuous
    (the content skips ahead for clients already watching)."""

    def __init__(self, mount, clip, appsrc, media):
        self.mount = mount
        self.clip = clip
        self.appsrc = appsrc
        self.stop = threading.Event()
        self.started = threading.Event()
        self.want_key = threading.Event()
        appsrc.connect("need-data", self._on_need_data)
        media.connect("unprepared", self._on_unprepared)
        self.thread = threading.Thread(target=self._run, name="feed-" + mount, daemon=True)
        self.thread.start()

    def request_keyframe(self):
        self.want_key.set()

    def _on_need_data(self, _src, _length):
        self.started.set()

    def _on_unprepared(self, _media):
        self.stop.set()
        self.started.set()

    def _next_key(self, k):
        """Index (in the endless sequence) of the first keyframe at or after k."""
        n = len(self.clip.units)
        loop, idx = divmod(k, n)
        keys = self.clip.keys
        i = bisect.bisect_left(keys, idx)
        if i < len(keys):
            return loop * n + keys[i]
        return (loop + 1) * n + keys[0]

    def _base(self, k):
        """(pts, dts) of endless-sequence index k before t_off is added."""
        loop, idx = divmod(k, len(self.clip.units))
        u = self.clip.units[idx]
        return loop * self.clip.loop_ns + u[1], loop * self.clip.loop_ns + u[2]

    def _run(self):
        # A live appsrc only asks for data once the pipeline is PLAYING, so
        # the clock and base time are valid from then on.
        self.started.wait()
        if self.stop.is_set():
            return
        src = self.appsrc
        clock = src.get_clock()
        base = src.get_base_time()
        if clock is None:
            log("%s: no clock, cannot feed" % self.mount)
            return

        def now():
            return clock.get_time() - base

        units = self.clip.units
        n = len(units)
        t_off = now() + LEAD_NS
        k = 0
        max_pts = -1
        first = True
        jumps = 0
        log("%s: feeding started" % self.mount)
        while not self.stop.is_set():
            if self.want_key.is_set():
                self.want_key.clear()
                if units[k % n][4] and self.clip.keys:
                    k2 = self._next_key(k)
                    p1, d1 = self._base(k)
                    p2, d2 = self._base(k2)
                    # The keyframe takes the slot unit k would have had...
                    t_off -= d2 - d1
                    # ...unless that would not put its PTS after every PTS
                    # already sent (B-frame reordering): then leave a gap.
                    if t_off + p2 <= max_pts:
                        t_off = max_pts + self.clip.frame_ns - p2
                    k = k2
                    jumps += 1
            bpts, bdts = self._base(k)
            data, _pts, _dts, dur, delta = units[k % n]
            t_dts = t_off + bdts
            t_pts = t_off + bpts
            # Pace: wait until running time reaches DTS - LEAD.
            while not self.stop.is_set():
                wait = t_dts - LEAD_NS - now()
                if wait <= 0 or self.want_key.is_set():
                    break
                self.stop.wait(min(wait / Gst.SECOND, 0.05))
            if self.stop.is_set():
                break
            if self.want_key.is_set():
                continue  # handle the request (maybe jump) before sending
            buf = Gst.Buffer.new_wrapped(data)
            buf.pts = t_pts
            buf.dts = t_dts
            buf.duration = dur
            if delta:
                buf.set_flags(Gst.BufferFlags.DELTA_UNIT)
            if first:
                buf.set_flags(Gst.BufferFlags.DISCONT)
                first = False
            ret = src.emit("push-buffer", buf)
            if ret != Gst.FlowReturn.OK:
                log("%s: push returned %s, stopping feeder" % (self.mount, ret.value_nick))
                break
            max_pts = max(max_pts, t_pts)
            k += 1
        log("%s: feeding stopped in loop %d (%d keyframe jump(s))" % (
            self.mount, k // n + 1, jumps))


# Called when a client starts playing a media: media pointer -> callable.
JOIN_HANDLERS = {}


def register_join(media, handler):
    key = hash(media)  # PyGObject hashes GObjects by their C pointer
    JOIN_HANDLERS[key] = handler
    media.connect("unprepared", lambda _m: JOIN_HANDLERS.pop(key, None))


def on_play_request(_client, ctx):
    sm = ctx.sessmedia
    if sm is None:
        return
    handler = JOIN_HANDLERS.get(hash(sm.get_media()))
    if handler is not None:
        handler()


def make_file_factory(mount, clip, join_keyframe):
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( appsrc name=src is-live=true format=time do-timestamp=false "
        "block=true max-bytes=16000000 "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 )"
    )

    def on_configure(_factory, media):
        src = media.get_element().get_by_name("src")
        src.set_property("caps", clip.caps)
        feeder = FileFeeder(mount, clip, src, media)
        if join_keyframe:
            register_join(media, feeder.request_keyframe)

    factory.connect("media-configure", on_configure)
    return factory


def make_synthetic_factory(launch, join_keyframe, on_media=None):
    """on_media(media) is called for each new media (e.g. to start a feeder)."""
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)

    def on_configure(_factory, media):
        if on_media is not None:
            on_media(media)
        if not join_keyframe:
            return
        pad = media.get_element().get_by_name("enc").get_static_pad("src")

        def force_key_unit():
            pad.send_event(GstVideo.video_event_new_upstream_force_key_unit(
                Gst.CLOCK_TIME_NONE, True, 0))

        register_join(media, force_key_unit)

    factory.connect("media-configure", on_configure)
    return factory


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8554, help="RTSP port (0 = ephemeral)")
    ap.add_argument("--address", default="127.0.0.1")
    ap.add_argument("--synthetic", action="append", default=[],
                    metavar="NAME[:WxH[@FPS[:KBPS[:PATTERN]]]]",
                    help="synthetic camera, default 640x360@25:1000:ball")
    ap.add_argument("--clock", action="append", default=[],
                    metavar="NAME[:WxH[@FPS[:KBPS]]]",
                    help="camera showing its wall-clock time as a stripe, "
                         "default 1280x720@25:1000")
    ap.add_argument("--intruder", action="append", default=[],
                    metavar="NAME[:WxH[@FPS[:KBPS[:everyPonD]]]]",
                    help="motion camera: a block crosses a still scene for D s every P s, "
                         "default 640x360@10:500:every10on3; prints ONSET lines")
    ap.add_argument("--file", action="append", default=[], metavar="NAME=PATH",
                    help="H.264 file looped forever without re-encoding")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--realm", default="Argus testbed")
    ap.add_argument("--no-join-keyframe", dest="join_keyframe", action="store_false",
                    help="do not send a keyframe when a client starts playing "
                         "(by default synthetic mounts force one and file mounts "
                         "skip ahead to the next one)")
    ap.add_argument("--stats", action="store_true",
                    help='print "CLIENT <n> <ip>" per accepted RTSP connection')
    ap.add_argument("--auth", choices=["both", "basic", "digest"], default="both",
                    help="auth methods offered when --user is given (default both)")
    return ap.parse_args(argv)


def set_auth_methods(auth, methods):
    """GstRTSPAuthMethod is a bit mask in C, but GI exposes it as an enum, so
    BASIC|DIGEST cannot be passed from Python: call the C function directly."""
    value = 0
    if methods in ("basic", "both"):
        value |= int(GstRtsp.RTSPAuthMethod.BASIC)
    if methods in ("digest", "both"):
        value |= int(GstRtsp.RTSPAuthMethod.DIGEST)
    if value in (int(GstRtsp.RTSPAuthMethod.BASIC), int(GstRtsp.RTSPAuthMethod.DIGEST)):
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod(value))
        return
    import ctypes
    get_ptr = ctypes.pythonapi.PyCapsule_GetPointer
    get_ptr.restype = ctypes.c_void_p
    get_ptr.argtypes = [ctypes.py_object, ctypes.c_char_p]
    ptr = get_ptr(auth.__gpointer__, None)
    lib = ctypes.CDLL("libgstrtspserver-1.0.so.0")
    lib.gst_rtsp_auth_set_supported_methods.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.gst_rtsp_auth_set_supported_methods.restype = None
    lib.gst_rtsp_auth_set_supported_methods(ptr, value)


def setup_auth(server, user, password, realm, methods):
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    auth.add_digest(user, password, token)
    set_auth_methods(auth, methods)
    auth.set_realm(realm)
    server.set_auth(auth)


def add_role(factory):
    st = Gst.Structure.new_from_string(
        "user, media.factory.access=(boolean)true, "
        "media.factory.construct=(boolean)true")
    factory.add_role_from_structure(st)


def main(argv):
    args = parse_args(argv)
    if (args.user is None) != (args.password is None):
        sys.exit("--user and --password must be given together")
    if not args.synthetic and not args.file and not args.clock and not args.intruder:
        sys.exit("nothing to serve: give --synthetic, --clock, --intruder and/or --file")

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    if args.user is not None:
        setup_auth(server, args.user, args.password, args.realm, args.auth)
    mounts = server.get_mount_points()
    names = []

    def add_mount(name, factory):
        factory.set_shared(True)
        if args.user is not None:
            add_role(factory)
        mounts.add_factory("/" + name, factory)
        names.append(name)

    def video_spec(option, spec, default_w, default_h):
        """NAME[:WxH[@FPS[:KBPS[:PATTERN]]]] -> name, w, h, fps, kbps, pattern."""
        m = SYN_RE.match(spec)
        if not m:
            sys.exit("bad %s spec: %r" % (option, spec))
        return (m.group("name"), int(m.group("w") or default_w), int(m.group("h") or default_h),
                int(m.group("fps") or 25), int(m.group("kbps") or 1000), m.group("pattern"))

    for spec in args.synthetic:
        name, w, h, fps, kbps, pattern = video_spec("--synthetic", spec, 640, 360)
        pattern = pattern or "ball"
        add_mount(name, make_synthetic_factory(
            synthetic_launch(name, w, h, fps, kbps, pattern), args.join_keyframe))
        log("synthetic /%s %dx%d@%d %d kb/s pattern=%s" % (name, w, h, fps, kbps, pattern))

    for spec in args.clock:
        name, w, h, fps, kbps, pattern = video_spec("--clock", spec, 1280, 720)
        if pattern:
            sys.exit("bad --clock spec (no PATTERN): %r" % spec)
        if w % 2 or h % 2 or w < STRIPE_BLOCKS * 4 or h < 64:
            sys.exit("--clock %s: need even WxH, at least %dx64" % (name, STRIPE_BLOCKS * 4))

        def start_clock(media, name=name, w=w, h=h, fps=fps):
            ClockFeeder(name, media.get_element().get_by_name("src"), media, w, h, fps)

        add_mount(name, make_synthetic_factory(
            clock_launch(w, h, fps, kbps), args.join_keyframe, start_clock))
        log("clock /%s %dx%d@%d %d kb/s" % (name, w, h, fps, kbps))

    for spec in args.intruder:
        name, w, h, fps, kbps, pattern = video_spec("--intruder", spec, 640, 360)
        m = INTRUDER_RE.match(pattern or "every10on3")
        if not m or int(m.group("on")) >= int(m.group("period")) or w % 2 or h % 2:
            sys.exit("bad --intruder spec (even WxH, everyPonD with D < P): %r" % spec)
        if not SYN_RE.match(spec).group("fps"):
            fps = 10
        if not SYN_RE.match(spec).group("kbps"):
            kbps = 500

        def start_intruder(media, name=name, w=w, h=h, fps=fps, period=int(m.group("period")), on=int(m.group("on"))):
            IntruderFeeder(name, media.get_element().get_by_name("src"), media, w, h, fps, period, on)

        add_mount(name, make_synthetic_factory(
            clock_launch(w, h, fps, kbps), args.join_keyframe, start_intruder))
        log("intruder /%s %dx%d@%d %d kb/s %s" % (name, w, h, fps, kbps, m.group(0)))

    clips = {}
    for spec in args.file:
        if "=" not in spec:
            sys.exit("bad --file spec (want NAME=PATH): %r" % spec)
        name, path = spec.split("=", 1)
        clip = clips.get(path)  # mounts of the same file share one copy in memory
        if clip is None:
            try:
                clip = clips[path] = Clip(path)
            except Exception as e:  # noqa: BLE001
                sys.exit("cannot load %s: %s" % (path, e))
        add_mount(name, make_file_factory(name, clip, args.join_keyframe))

    if len(set(names)) != len(names):
        sys.exit("duplicate mount names: %s" % names)

    clients = [0]

    def on_client(_s, client):
        client.connect("play-request", on_play_request)
        if args.stats:
            clients[0] += 1
            conn = client.get_connection()
            print("CLIENT %d %s" % (clients[0], conn.get_ip() if conn is not None else "?"), flush=True)

    server.connect("client-connected", on_client)

    if server.attach(None) == 0:
        sys.exit("cannot listen on %s:%s" % (args.address, args.port))
    port = server.get_bound_port()

    loop = GLib.MainLoop()

    def on_signal(*_a):
        log("signal received, exiting")
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, on_signal)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, on_signal)

    # Periodically drop sessions of vanished clients (UDP clients that never
    # sent TEARDOWN), like the gst-rtsp-server examples do.
    def cleanup():
        server.get_session_pool().cleanup()
        return GLib.SOURCE_CONTINUE

    GLib.timeout_add_seconds(2, cleanup)

    cred = ""
    if args.user is not None:
        cred = "%s:%s@" % (urllib.parse.quote(args.user, safe=""),
                           urllib.parse.quote(args.password, safe=""))
    print("PORT %d" % port)
    for name in names:
        print("MOUNT %s rtsp://%s%s:%d/%s" % (name, cred, args.address, port, name))
    print("READY", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
