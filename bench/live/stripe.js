// Reads the time stripe of the test bed's clock camera (tools/testbed/rtsp_server.py --clock)
// from a playing <video> and turns each presented frame into a latency sample.
//
// Stripe (must match clock_stripe_row in rtsp_server.py): a band at the top of the frame,
// min(32, H/8) px high, holding 60 equal blocks of W/60 px (floored) centred in the width:
//   white, black | 48 bits Unix ms, MSB first | 8 bits CRC-8 (poly 0x07, init 0) of the
//   6 time bytes big-endian | black, white.   White block = 1, black block = 0.
//
// Usage (classic script, defines globalThis.ArgusStripe):
//   const stop = ArgusStripe.watch(video, s => samples.push(s), () => rejected++);
//   s = { frameTimeMs, nowMs, latencyMs, mediaTime }
(function (global) {
  "use strict";
  const BLOCKS = 60;
  const TIME_BITS = 48;
  const CHECK_BITS = 8;
  // Below this white-black contrast (0..255) the band is not a stripe (or not drawn yet).
  const MIN_CONTRAST = 64;

  function crc8(bytes) {
    let crc = 0;
    for (const b of bytes) {
      crc ^= b;
      for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
    return crc;
  }

  function geometry(w, h) {
    const bw = Math.floor(w / BLOCKS);
    return { bw, x0: Math.floor((w - bw * BLOCKS) / 2), band: Math.min(32, Math.floor(h / 8)) };
  }

  // Mean luma of the centre half (both ways) of block i: edges blur under H.264.
  function blockLuma(px, w, g, i) {
    const xa = g.x0 + i * g.bw + Math.floor(g.bw / 4), xb = g.x0 + (i + 1) * g.bw - Math.floor(g.bw / 4);
    const ya = Math.floor(g.band / 4), yb = g.band - Math.floor(g.band / 4);
    let sum = 0, n = 0;
    for (let y = ya; y < yb; y++) {
      for (let x = xa; x < xb; x++) {
        const o = (y * w + x) * 4;
        sum += px[o] + px[o + 1] + px[o + 2];
        n += 3;
      }
    }
    return sum / n;
  }

  // The stripe's time (Unix ms) of the frame the video shows now, or null when unreadable
  // or the check bits fail. canvas: a reusable scratch canvas.
  function decode(video, canvas) {
    const w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return null;
    const g = geometry(w, h);
    if (g.bw < 2 || g.band < 4) return null;
    if (canvas.width !== w || canvas.height !== g.band) { canvas.width = w; canvas.height = g.band; }
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, w, g.band, 0, 0, w, g.band);
    const px = ctx.getImageData(0, 0, w, g.band).data;
    const white = (blockLuma(px, w, g, 0) + blockLuma(px, w, g, BLOCKS - 1)) / 2;
    const black = (blockLuma(px, w, g, 1) + blockLuma(px, w, g, BLOCKS - 2)) / 2;
    if (white - black < MIN_CONTRAST) return null;
    const threshold = (white + black) / 2;
    let time = 0, check = 0;
    // 48 bits fit a double exactly; bit operators would truncate to 32 bits.
    for (let i = 0; i < TIME_BITS; i++) time = time * 2 + (blockLuma(px, w, g, 2 + i) > threshold ? 1 : 0);
    for (let i = 0; i < CHECK_BITS; i++) check = check * 2 + (blockLuma(px, w, g, 2 + TIME_BITS + i) > threshold ? 1 : 0);
    const bytes = [];
    for (let k = 5; k >= 0; k--) bytes.push(Math.floor(time / 2 ** (8 * k)) % 256);
    return crc8(bytes) === check ? time : null;
  }

  // Calls onSample once per presented frame whose stripe decodes, onReject for the others.
  // With requestVideoFrameCallback, "now" is when the compositor expects the frame on screen;
  // without it, frames are polled per animation frame (deduplicated by media time).
  function watch(video, onSample, onReject) {
    const canvas = document.createElement("canvas");
    let stopped = false;
    const handle = (nowMs, mediaTime) => {
      const frameTimeMs = decode(video, canvas);
      if (frameTimeMs === null) { if (onReject) onReject(); return; }
      onSample({ frameTimeMs, nowMs, latencyMs: nowMs - frameTimeMs, mediaTime });
    };
    if ("requestVideoFrameCallback" in HTMLVideoElement.prototype) {
      const onFrame = (now, meta) => {
        if (stopped) return;
        const shown = meta.expectedDisplayTime > 0 ? meta.expectedDisplayTime : now;
        // The camera stamps wall-clock time. performance.timeOrigin is fixed when the page starts and drifts from
        // the wall clock when the monotonic clock does (a VM restored or slewed): seen as -480 ms on CI.
        // So only the small monotonic delta to display time comes from performance.now().
        handle(Date.now() + (shown - performance.now()), meta.mediaTime);
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    } else {
      let last = -1;
      const poll = () => {
        if (stopped) return;
        if (video.currentTime !== last && video.readyState >= 2) { last = video.currentTime; handle(Date.now(), last); }
        requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    }
    return () => { stopped = true; };
  }

  global.ArgusStripe = { decode, watch, crc8, BLOCKS };
})(globalThis);
