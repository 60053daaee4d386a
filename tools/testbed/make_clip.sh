#!/usr/bin/env bash
# Pre-encode a synthetic H.264 mp4 for benchmarks, so the RTSP test bed can serve
# many high-resolution cameras without encoding (rtsp_server.py --file NAME=OUT).
#
#   make_clip.sh OUT WIDTHxHEIGHT FPS KBPS SECONDS
#   e.g. make_clip.sh /tmp/argus-clips/1080p25_4M.mp4 1920x1080 25 4000 60
#
# Content: ffmpeg testsrc2 (moving) with temporal noise so the encoder really uses
# the requested bitrate; libx264, keyframe every 2 s (no scene-cut keyframes), no
# B-frames, yuv420p, main profile, +faststart. OUT must be outside the git repo.
# Skips the encode when OUT already exists (FORCE=1 to redo).
# Environment: NOISE (noise strength 0..100, default 12), BFRAMES (default 0),
#              PRESET (x264 preset, default veryfast).
set -euo pipefail

if [[ $# -ne 5 ]]; then
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
OUT="$1" SIZE="$2" FPS="$3" KBPS="$4" SECS="$5"
[[ "$SIZE" =~ ^[0-9]+x[0-9]+$ ]] || { echo "bad size '$SIZE' (want WIDTHxHEIGHT)" >&2; exit 2; }
[[ "$FPS" =~ ^[0-9]+$ && "$KBPS" =~ ^[0-9]+$ && "$SECS" =~ ^[0-9]+$ ]] \
  || { echo "FPS, KBPS and SECONDS must be integers" >&2; exit 2; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || realpath -m "$HERE/../..")"
OUT_ABS="$(realpath -m "$OUT")"
case "$OUT_ABS/" in
  "$REPO"/*) echo "refusing to write '$OUT_ABS' inside the repository ($REPO); use /tmp" >&2; exit 2 ;;
esac

if [[ -s "$OUT_ABS" && "${FORCE:-0}" != 1 ]]; then
  echo "$OUT_ABS exists (FORCE=1 to re-encode)" >&2
  echo "$OUT_ABS"
  exit 0
fi
mkdir -p "$(dirname "$OUT_ABS")"

GOP=$((FPS * 2))
NOISE="${NOISE:-12}"
VF="format=yuv420p"
if [[ "$NOISE" != 0 ]]; then VF="noise=alls=${NOISE}:allf=t,$VF"; fi
TMP="$OUT_ABS.tmp.$$.mp4"
trap 'rm -f "$TMP"' EXIT

ffmpeg -hide_banner -loglevel error -nostdin -y \
  -f lavfi -i "testsrc2=size=${SIZE}:rate=${FPS}" -t "$SECS" \
  -vf "$VF" \
  -c:v libx264 -preset "${PRESET:-veryfast}" -profile:v main -bf "${BFRAMES:-0}" \
  -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 \
  -b:v "${KBPS}k" -maxrate "$((KBPS * 12 / 10))k" -bufsize "$((KBPS * 2))k" \
  -movflags +faststart -an "$TMP"
mv "$TMP" "$OUT_ABS"
trap - EXIT
echo "$OUT_ABS"
