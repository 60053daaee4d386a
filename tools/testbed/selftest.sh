#!/usr/bin/env bash
# Quick self test of the test bed (~1 min, light CPU): synthetic, clock and looping file
# mounts over TCP and UDP, auth, restart, bad servers. Uses ephemeral ports and
# a private run directory; stops everything it started.
#   tools/testbed/selftest.sh
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TB="$HERE/testbed.sh"
WORK="$(mktemp -d /tmp/argus-testbed-selftest.XXXXXX)"
export TESTBED_RUN="$WORK/run"
PASS=0 FAIL=0

cleanup() { "$TB" stop-all >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

ok() { echo "PASS $*"; PASS=$((PASS + 1)); }
ko() { echo "FAIL $*"; FAIL=$((FAIL + 1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else ko "$what"; fi; }

# record URL TRANSPORT SECONDS OUT -> 0 when ffmpeg succeeded
record() {
  timeout $(($3 + 20)) ffmpeg -hide_banner -loglevel error -nostdin -rtsp_transport "$2" \
    -i "$1" -t "$3" -c copy -y "$4" >"$4.log" 2>&1
}
duration() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1" 2>/dev/null; }
# at_least FILE SECONDS: file has h264 video lasting >= SECONDS
at_least() {
  local d codec
  codec="$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name -of csv=p=0 "$1" 2>/dev/null)"
  d="$(duration "$1")"
  [[ "$codec" == h264 && -n "$d" ]] && awk -v d="$d" -v m="$2" 'BEGIN { exit !(d >= m) }'
}
# seamless FILE: constant DTS step everywhere (skipping ffmpeg's first 3 packets,
# whose timestamps ffmpeg itself patches up), i.e. no gap/jump at loop points.
seamless() {
  ffprobe -v error -show_packets -show_entries packet=dts -of csv=p=0 "$1" 2>/dev/null \
    | awk -F, 'NR > 4 { s[$1 - p]++ } { p = $1 } END { n = 0; for (k in s) n++; exit !(n == 1) }'
}
decodes() { ffmpeg -hide_banner -v error -nostdin -i "$1" -f null - 2>&1 | grep -q . && return 1 || return 0; }

"$TB" check >/dev/null || { echo "testbed check failed: run '$TB check'"; echo "0 passed, 1 failed"; exit 1; }

CLIP="$WORK/clip6s.mp4"
BFRAMES=2 NOISE=0 "$HERE/make_clip.sh" "$CLIP" 320x180 25 300 6 >/dev/null 2>&1
check "make_clip.sh made a 6 s clip" at_least "$CLIP" 5.9

"$TB" start cams -- rtsp --port 0 --synthetic cam:320x180@15:300 --file clip="$CLIP" --clock clk:320x180@15:300 >/dev/null
P="$("$TB" port cams)"
check "rtsp server started (port $P)" test -n "$P"
for tr in tcp udp; do
  record "rtsp://127.0.0.1:$P/cam" $tr 4 "$WORK/cam_$tr.mp4"; check "synthetic over $tr: ffmpeg ok" test $? -eq 0
  check "synthetic over $tr: >= 3.8 s of h264" at_least "$WORK/cam_$tr.mp4" 3.8
done
# 6 s clip, 14 s read: crosses two loop points.
# The stripe itself is decoded by tests/Argus.Console.Tests (bench/live/stripe.js); here: the mount serves.
record "rtsp://127.0.0.1:$P/clk" tcp 3 "$WORK/clk.mp4"; check "clock camera: ffmpeg ok" test $? -eq 0
check "clock camera: >= 2.8 s of h264" at_least "$WORK/clk.mp4" 2.8
record "rtsp://127.0.0.1:$P/clip" tcp 14 "$WORK/clip_tcp.mp4" &
record "rtsp://127.0.0.1:$P/clip" udp 14 "$WORK/clip_udp.mp4"; rc_udp=$?
wait $!; rc_tcp=$?
for tr in tcp udp; do
  eval "rc=\$rc_$tr"
  check "looping file over $tr: ffmpeg ok" test "$rc" -eq 0
  check "looping file over $tr: >= 13.8 s (2+ loops)" at_least "$WORK/clip_$tr.mp4" 13.8
  check "looping file over $tr: decodes without errors" decodes "$WORK/clip_$tr.mp4"
  check "looping file over $tr: constant DTS step across loop points" seamless "$WORK/clip_$tr.mp4"
done
"$TB" stop cams >/dev/null 2>&1

"$TB" start auth -- rtsp --port 0 --synthetic cam:320x180@15:300 --user admin --password s3cret >/dev/null
P="$("$TB" port auth)"
record "rtsp://admin:wrong@127.0.0.1:$P/cam" tcp 2 "$WORK/auth_bad.mp4"; check "auth: wrong password rejected" test $? -ne 0
record "rtsp://127.0.0.1:$P/cam" tcp 2 "$WORK/auth_none.mp4"; check "auth: no credentials rejected" test $? -ne 0
record "rtsp://admin:s3cret@127.0.0.1:$P/cam" tcp 2 "$WORK/auth_ok.mp4"; check "auth: right password accepted" test $? -eq 0

# Restart on the same port; a new client must connect.
"$TB" stop auth >/dev/null 2>&1
"$TB" start auth -- rtsp --port "$P" --synthetic cam:320x180@15:300 --user admin --password s3cret >/dev/null
record "rtsp://admin:s3cret@127.0.0.1:$P/cam" udp 2 "$WORK/restart.mp4"; check "restart on same port: new client ok" test $? -eq 0
"$TB" stop auth >/dev/null 2>&1

"$TB" start bad -- bad --port 0 --garbage-port 0 --mjpeg-size 320x180 >/dev/null
P="$("$TB" port bad)"
G="$(awk '$1 == "GARBAGE" { n = split($2, a, ":"); print a[n] }' "$TESTBED_RUN/bad.out")"
ct="$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "http://127.0.0.1:$P/html")"
check "bad: /html is 200 text/html ($ct)" test "${ct%%;*}" = "200 text/html"
codec="$(timeout 15 ffprobe -v error -f mpjpeg -i "http://127.0.0.1:$P/mjpeg" -show_entries stream=codec_name -of csv=p=0 2>/dev/null)"
check "bad: /mjpeg is an MJPEG stream ($codec)" test "$codec" = mjpeg
n="$(timeout 1 bash -c "cat </dev/tcp/127.0.0.1/$G" 2>/dev/null | wc -c)"
check "bad: garbage port sends bytes ($n)" test "$n" -gt 1000
"$TB" stop bad >/dev/null 2>&1

echo "$PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
