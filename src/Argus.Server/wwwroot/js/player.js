// Argus console video. Live: fragmented MP4 over a WebSocket into Media Source Extensions, kept near the live edge.
// Playback: recorded segments fetched one by one into MSE, placed on a timeline that starts at the first segment.
const players = new WeakMap();

export function live(video, cameraId) {
  stop(video);
  // Without Media Source Extensions (older iOS Safari), the HLS fallback: same camera, a few seconds more latency.
  const p = window.MediaSource && !video.dataset.forceHls ? new LivePlayer(video, cameraId) : new HlsPlayer(video, cameraId);
  players.set(video, p);
  p.start();
}

export function playback(video, cameraId, segments, startMs, listener) {
  stop(video);
  const p = new PlaybackPlayer(video, cameraId, segments, listener);
  players.set(video, p);
  p.start(startMs);
}

export function stop(video) {
  const p = players.get(video);
  if (p) p.stop();
  players.delete(video);
}

export function setRate(video, rate) {
  video.playbackRate = rate;
  if (video.paused) video.play().catch(() => {});
}

export function pause(video) { video.pause(); }
export function resume(video) { video.play().catch(() => {}); }

// One frame forward or back while paused (the decoder shows the frame at the new time).
export function step(video, frames, fps) {
  video.pause();
  video.currentTime = Math.max(0, video.currentTime + frames / (fps > 0 ? fps : 25));
}

function codecFrom(bytes) {
  // The codec string MSE needs, read from the avcC/hvcC box of an init segment.
  const find = (name) => {
    const a = name.split('').map(c => c.charCodeAt(0));
    for (let i = 0; i + 8 < bytes.length && i < 65536; i++)
      if (bytes[i] === a[0] && bytes[i + 1] === a[1] && bytes[i + 2] === a[2] && bytes[i + 3] === a[3]) return i + 4;
    return -1;
  };
  const hex = (n) => n.toString(16).padStart(2, '0');
  let at = find('avcC');
  if (at >= 0) return `avc1.${hex(bytes[at + 1])}${hex(bytes[at + 2])}${hex(bytes[at + 3])}`;
  at = find('hvcC');
  if (at >= 0) return 'hvc1.1.6.L93.B0';
  return 'avc1.42E01E';
}

class LivePlayer {
  constructor(video, cameraId) {
    this.video = video;
    this.cameraId = cameraId;
    this.stopped = false;
    this.queue = [];
    this.slacks = [];
    this.expectInit = false;
  }

  start() {
    if (this.stopped) return;
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${location.host}/api/cameras/${this.cameraId}/live`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.video.dataset.live = 'connecting';
    ws.onmessage = (m) => this.onMessage(m);
    ws.onclose = (e) => {
      if (this.stopped) return;
      this.video.dataset.live = 'closed';
      this.video.dispatchEvent(new CustomEvent('argus-live-closed', { detail: { code: e.code, reason: e.reason } }));
      // 1008: the server ended the stream by policy (the viewer's window closed): do not retry.
      if (e.code !== 1008) this.retry = setTimeout(() => this.start(), 2000);
    };
  }

  onMessage(m) {
    if (typeof m.data === 'string') {
      const msg = JSON.parse(m.data);
      if (msg.type === 'init') { this.reset(msg.codec); this.expectInit = true; }
      return;
    }
    this.queue.push(new Uint8Array(m.data));
    this.expectInit = false;
    this.pump();
  }

  reset(codec) {
    this.teardown();
    this.queue = [];
    const ms = new MediaSource();
    this.ms = ms;
    this.video.src = URL.createObjectURL(ms);
    this.video.muted = true;
    ms.addEventListener('sourceopen', () => {
      URL.revokeObjectURL(this.video.src);
      this.sb = ms.addSourceBuffer(`video/mp4; codecs="${codec}"`);
      this.sb.mode = 'segments';
      this.sb.addEventListener('updateend', () => { this.chase(); this.pump(); });
      this.pump();
    }, { once: true });
  }

  pump() {
    const sb = this.sb;
    if (!sb || sb.updating || this.queue.length === 0 || this.ms.readyState !== 'open') return;
    // Appending many small fragments at once is cheaper than one call each.
    const total = this.queue.reduce((n, b) => n + b.length, 0);
    const joined = new Uint8Array(total);
    let o = 0;
    for (const b of this.queue) { joined.set(b, o); o += b.length; }
    this.queue = [];
    this.noteSlack();
    try { sb.appendBuffer(joined); }
    catch (e) {
      if (e.name === 'QuotaExceededError' && this.video.currentTime > 5) sb.remove(0, this.video.currentTime - 2);
    }
  }

  // Slack: how much video was left to play when the next piece arrived. Its minimum over the last 3 s is the margin
  // the stream's own rhythm (fragment length, network jitter) does not need, so it can be played away.
  noteSlack() {
    const v = this.video, b = v.buffered;
    if (b.length === 0 || v.paused) return;
    const now = performance.now();
    this.slacks = this.slacks.filter(s => now - s.at < 3000);
    this.slacks.push({ at: now, slack: b.end(b.length - 1) - v.currentTime });
  }

  // Stay near the live edge: jump when far behind; otherwise play 1.1x while even the tightest recent arrival left
  // more than 0.1 s to spare, back to 1x below 0.04 s. A stall (no slack) leaves the buffer it built: jitter
  // raises the latency only as far as it has to.
  chase() {
    const v = this.video, b = v.buffered;
    if (b.length === 0) return;
    const end = b.end(b.length - 1);
    const lag = end - v.currentTime;
    if (v.currentTime < b.start(0) || lag > 1.5) {
      v.currentTime = Math.max(b.start(b.length - 1), end - 0.2);
      this.slacks = [];
    } else if (this.slacks.length >= 3) {
      const spare = Math.min(...this.slacks.map(s => s.slack));
      if (spare > 0.1) v.playbackRate = 1.1;
      else if (spare < 0.04) v.playbackRate = 1.0;
    }
    if (v.paused) v.play().catch(() => {});
    this.video.dataset.live = 'playing';
    if (!this.sb.updating && v.currentTime - b.start(0) > 30) this.sb.remove(b.start(0), v.currentTime - 10);
  }

  teardown() {
    if (this.ms && this.ms.readyState === 'open') { try { this.ms.endOfStream(); } catch { } }
    this.sb = null;
    this.ms = null;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.ws) this.ws.close();
    this.teardown();
    this.video.removeAttribute('src');
    this.video.load();
  }
}

class HlsPlayer {
  constructor(video, cameraId) { this.video = video; this.cameraId = cameraId; }

  start() {
    this.video.muted = true;
    this.video.dataset.live = 'hls';
    this.video.src = `/api/cameras/${this.cameraId}/hls/live.m3u8`;
    this.video.play().catch(() => {});
  }

  stop() {
    this.video.removeAttribute('src');
    this.video.load();
  }
}

class PlaybackPlayer {
  constructor(video, cameraId, segments, listener) {
    this.video = video;
    this.cameraId = cameraId;
    this.segments = segments; // [{id, startMs, endMs}] oldest first
    this.listener = listener;
    this.origin = segments.length ? segments[0].startMs : 0;
    this.next = 0;
    this.stopped = false;
    this.fetching = false;
  }

  async start(startMs) {
    const v = this.video;
    v.muted = true;
    let i = this.segments.findIndex(s => s.endMs > startMs);
    if (i < 0) { v.dataset.playback = 'nothing'; return; }
    this.next = i;
    const first = await this.fetch(this.segments[i]);
    if (this.stopped || !first) return;
    const ms = new MediaSource();
    this.ms = ms;
    v.src = URL.createObjectURL(ms);
    await new Promise(r => ms.addEventListener('sourceopen', r, { once: true }));
    URL.revokeObjectURL(v.src);
    this.sb = ms.addSourceBuffer(`video/mp4; codecs="${codecFrom(first)}"`);
    this.sb.mode = 'segments';
    await this.append(this.segments[i], first);
    this.next = i + 1;
    v.currentTime = Math.max((this.segments[i].startMs - this.origin) / 1000, (startMs - this.origin) / 1000);
    v.dataset.playback = 'playing';
    v.play().catch(() => {});
    this.timer = setInterval(() => this.tick(), 250);
  }

  async fetch(seg) {
    const r = await fetch(`/api/cameras/${this.cameraId}/recordings/${seg.id}`, { credentials: 'same-origin' });
    if (!r.ok) return null;
    return new Uint8Array(await r.arrayBuffer());
  }

  append(seg, bytes) {
    return new Promise((resolve) => {
      const sb = this.sb;
      sb.timestampOffset = (seg.startMs - this.origin) / 1000;
      sb.addEventListener('updateend', resolve, { once: true });
      try { sb.appendBuffer(bytes); } catch { resolve(); }
    });
  }

  async tick() {
    const v = this.video, b = v.buffered;
    if (this.stopped || !this.sb) return;
    const now = this.origin + v.currentTime * 1000;
    if (this.listener) this.listener.invokeMethodAsync('OnPlaybackTime', now).catch(() => {});
    // Across a gap in the recording: jump to the next recorded range.
    for (let r = 0; r < b.length; r++) {
      if (v.currentTime < b.start(r) - 0.05 && (r === 0 || v.currentTime >= b.end(r - 1) - 0.1)) { v.currentTime = b.start(r); break; }
    }
    const ahead = b.length ? b.end(b.length - 1) - v.currentTime : 0;
    if (!this.fetching && ahead < 20 && this.next < this.segments.length) {
      this.fetching = true;
      const seg = this.segments[this.next++];
      const bytes = await this.fetch(seg);
      if (bytes && !this.stopped && this.sb && !this.sb.updating) await this.append(seg, bytes);
      this.fetching = false;
    }
    if (!this.sb.updating && b.length && v.currentTime - b.start(0) > 60) this.sb.remove(b.start(0), v.currentTime - 30);
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    this.video.removeAttribute('src');
    this.video.load();
  }
}
