// Reference live player: fragmented MP4 over WebSocket into Media Source Extensions, kept at the live edge.
//
// Protocol (server -> browser, one WebSocket):
//   1. text   {"type":"init","codec":"avc1.42E01F"}  (RFC 6381 codec string of the video track)
//   2. binary init segment (ftyp + moov)
//   3. binary media fragments (moof + mdat), in decode order; the first playable one is a keyframe
//      (MSE drops frames until the first keyframe, so a few leading delta frames are harmless)
// A new text init at any time means: the stream changed (camera restarted, codec changed):
// the player throws the MediaSource away and starts over with the next init segment.
//
// Live-edge chaser: a live stream must not drift behind. Every 250 ms: if the playhead is
// more than 1 s behind the buffered end (or outside the buffer), seek to 0.1 s before the end;
// if it is more than 0.2 s behind, play at 1.05x until it catches up; else play at 1x.
// Data older than 10 s behind the playhead is removed so the SourceBuffer never fills up.
//
// Usage (classic script, defines globalThis.ArgusMseLive):
//   const player = ArgusMseLive.play(video, "ws://host/live/cam1");  ... player.close();
(function (global) {
  "use strict";
  const SEEK_BEHIND_S = 1.0, TARGET_BEHIND_S = 0.2, SEEK_TO_BEHIND_S = 0.1, CATCH_UP_RATE = 1.05, KEEP_S = 10;

  function play(video, url, options) {
    const log = (options && options.log) || (() => {});
    const stats = { inits: 0, binaryMessages: 0, seeks: 0, bytes: 0 };
    let source = null, buffer = null, codec = null, queue = [], closed = false;
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";

    function reset(newCodec) {
      codec = newCodec;
      queue = [];
      buffer = null;
      source = new MediaSource();
      const src = URL.createObjectURL(source);
      source.addEventListener("sourceopen", () => {
        URL.revokeObjectURL(src);
        buffer = source.addSourceBuffer('video/mp4; codecs="' + codec + '"');
        buffer.addEventListener("updateend", pump);
        pump();
      }, { once: true });
      video.src = src;
      video.muted = true; // autoplay policy: only muted video may start without a user gesture
      video.play().catch(e => log("play: " + e));
    }

    function pump() {
      if (!buffer || buffer.updating || source.readyState !== "open") return;
      const b = buffer.buffered;
      if (b.length && video.currentTime - b.start(0) > KEEP_S + 1) {
        buffer.remove(b.start(0), video.currentTime - KEEP_S);
        return;
      }
      const next = queue.shift();
      if (next) buffer.appendBuffer(next);
    }

    function chase() {
      if (closed || !buffer || source.readyState !== "open") return;
      const b = video.buffered;
      if (!b.length) return;
      const end = b.end(b.length - 1), t = video.currentTime;
      let inside = false;
      for (let i = 0; i < b.length; i++) if (t >= b.start(i) && t <= b.end(i)) inside = true;
      const behind = end - t;
      if (!inside || behind > SEEK_BEHIND_S) {
        video.currentTime = Math.max(b.start(b.length - 1), end - SEEK_TO_BEHIND_S);
        video.playbackRate = 1;
        stats.seeks++;
      } else {
        video.playbackRate = behind > TARGET_BEHIND_S ? CATCH_UP_RATE : 1;
      }
      if (video.paused) video.play().catch(() => {});
    }
    const timer = setInterval(chase, 250);

    ws.onmessage = ev => {
      if (typeof ev.data === "string") {
        const msg = JSON.parse(ev.data);
        if (msg.type === "init") { stats.inits++; reset(msg.codec); }
        return;
      }
      if (!codec) return; // binary before any init: not ours to guess
      stats.bytes += ev.data.byteLength;
      stats.binaryMessages++;
      queue.push(ev.data);
      pump();
    };
    ws.onclose = ev => log("websocket closed: " + ev.code);

    return {
      stats: () => Object.assign({ codec, behind: video.buffered.length ? video.buffered.end(video.buffered.length - 1) - video.currentTime : null }, stats),
      close: () => { closed = true; clearInterval(timer); ws.close(); },
    };
  }

  global.ArgusMseLive = { play };
})(globalThis);
