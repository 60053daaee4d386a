#!/usr/bin/env bash
# Argus test bed: start/stop fake cameras and bad servers on loopback.
#
#   testbed.sh start NAME -- [rtsp|bad|CMD] ARGS...   start in background, wait for READY, print PID
#   testbed.sh stop NAME                               stop one (SIGTERM, then SIGKILL after 5 s)
#   testbed.sh stop-all                                stop every server in the run directory
#   testbed.sh status                                  list servers and whether they are alive
#   testbed.sh port NAME                               print the server's (HTTP/RTSP) port (for --port 0)
#   testbed.sh check [browser]                         verify Debian packages (ARGUS_AUTO_INSTALL=1 installs as root);
#                                                      `browser` adds Chromium for the Playwright tests
#
# After `--`: `rtsp ...` (or args starting with `-`) runs rtsp_server.py, `bad ...` runs
# bad_servers.py, anything else is run verbatim (it must print a line READY on stdout).
# Files in $TESTBED_RUN (default /tmp/argus-testbed): NAME.pid, NAME.out (stdout:
# PORT/MOUNT/READY lines), NAME.log (stderr).
# Environment: TESTBED_RUN, TESTBED_TIMEOUT (READY timeout, default 10 s),
#              TESTBED_PYTHON (default /usr/bin/python3, the one with gi),
#              ARGUS_CHROMIUM (a Chromium other than Debian's /usr/bin/chromium; skips that package).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="${TESTBED_RUN:-/tmp/argus-testbed}"
TIMEOUT="${TESTBED_TIMEOUT:-10}"
PY="${TESTBED_PYTHON:-/usr/bin/python3}"

REQUIRED_PKGS=(
  python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly ffmpeg
  mosquitto python3-aiosmtpd
)
# mosquitto and python3-aiosmtpd: the MQTT broker and SMTP sink of the notification tests (mosquitto.sh, smtp_sink.py).
# Optional: clockoverlay (text on synthetic cameras). Without it cameras have no overlay.
OPTIONAL_PKGS=(gstreamer1.0-x)
REQUIRED_ELEMENTS=(videotestsrc x264enc h264parse rtph264pay parsebin qtdemux appsrc appsink)
# Browser tests (tests/Argus.Console.Tests, bench/live): Playwright drives Debian's Chromium, since
# Playwright's own browser download does not work on these machines. Playwright's driver (node) comes
# inside its NuGet package: nothing else to install.
BROWSER_PKGS=(chromium)

die() { echo "testbed: $*" >&2; exit 1; }
note() { echo "testbed: $*" >&2; }

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

valid_name() {
  [[ "$1" =~ ^[A-Za-z0-9_.-]+$ ]] || die "bad server name '$1' (use [A-Za-z0-9_.-])"
}

# Start time of a running process (field 22 of /proc/PID/stat), to detect PID
# reuse. Fails for missing and zombie processes (an orphaned server killed
# with SIGKILL can stay a zombie for a while; kill -0 would still succeed).
proc_start() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  # after "comm) " fields start at 3 (state); starttime is field 22 -> index 19
  local -a f
  read -r -a f <<<"$stat"
  [[ "${f[0]}" != Z && "${f[0]}" != X ]] || return 1
  echo "${f[19]}"
}

running() { proc_start "$1" >/dev/null; }

# alive NAME -> prints PID and returns 0 when the recorded process still runs.
alive() {
  local pidfile="$RUN/$1.pid" pid start now
  [[ -f "$pidfile" ]] || return 1
  read -r pid start <"$pidfile" || true
  [[ -n "${pid:-}" ]] || return 1
  now="$(proc_start "$pid")" || return 1
  [[ -z "${start:-}" || "$now" == "$start" ]] || return 1
  echo "$pid"
}

cmd_start() {
  [[ $# -ge 1 ]] || usage
  local name="$1"; shift
  valid_name "$name"
  [[ "${1:-}" == "--" ]] && shift
  [[ $# -ge 1 ]] || die "start $name: nothing to run after --"
  mkdir -p "$RUN"
  if pid="$(alive "$name")"; then
    die "'$name' already running (pid $pid); stop it first"
  fi

  local -a cmd
  case "$1" in
    rtsp|rtsp_server|rtsp_server.py|*/rtsp_server.py) shift; cmd=("$PY" -u "$HERE/rtsp_server.py" "$@") ;;
    bad|bad_servers|bad_servers.py|*/bad_servers.py) shift; cmd=("$PY" -u "$HERE/bad_servers.py" "$@") ;;
    -*) cmd=("$PY" -u "$HERE/rtsp_server.py" "$@") ;;
    *) cmd=("$@") ;;
  esac

  local out="$RUN/$name.out" log="$RUN/$name.log"
  : >"$out"; : >"$log"
  # setsid: own process group, so `stop` can signal the server and its children.
  setsid "${cmd[@]}" >"$out" 2>"$log" </dev/null &
  local pid=$!
  echo "$pid $(proc_start "$pid" || true)" >"$RUN/$name.pid"

  local deadline=$((SECONDS + TIMEOUT))
  while :; do
    if grep -qx 'READY' "$out" 2>/dev/null; then
      echo "$pid"
      return 0
    fi
    if ! running "$pid"; then
      rm -f "$RUN/$name.pid"
      note "'$name' exited before READY; stderr:"
      tail -n 20 "$log" >&2 || true
      exit 1
    fi
    if (( SECONDS >= deadline )); then
      note "'$name' not READY after ${TIMEOUT}s; stopping it. stderr:"
      tail -n 20 "$log" >&2 || true
      cmd_stop "$name" >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 0.1
  done
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local name="$1" pid pgid target
  valid_name "$name"
  if ! pid="$(alive "$name")"; then
    rm -f "$RUN/$name.pid"
    note "'$name' not running"
    return 0
  fi
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" || pgid=""
  target="$pid"
  [[ "$pgid" == "$pid" ]] && target="-$pid"   # whole group (server + children)
  kill -TERM -- "$target" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    running "$pid" || break
    sleep 0.1
  done
  if running "$pid"; then
    note "'$name' (pid $pid) ignored SIGTERM; sending SIGKILL"
    kill -KILL -- "$target" 2>/dev/null || true
  fi
  rm -f "$RUN/$name.pid"
  note "stopped '$name' (pid $pid)"
}

cmd_stop_all() {
  [[ -d "$RUN" ]] || return 0
  local f
  shopt -s nullglob
  for f in "$RUN"/*.pid; do
    cmd_stop "$(basename "$f" .pid)"
  done
}

cmd_status() {
  [[ -d "$RUN" ]] || return 0
  local f name pid
  shopt -s nullglob
  for f in "$RUN"/*.pid; do
    name="$(basename "$f" .pid)"
    if pid="$(alive "$name")"; then
      echo "$name running pid=$pid"
      grep -E '^(PORT|MOUNT|HTML|MJPEG|GARBAGE|SILENT) ' "$RUN/$name.out" 2>/dev/null | sed 's/^/  /' || true
    else
      echo "$name dead"
    fi
  done
}

cmd_port() {
  [[ $# -eq 1 ]] || usage
  valid_name "$1"
  alive "$1" >/dev/null || die "'$1' not running"
  awk '$1 == "PORT" { print $2; found = 1; exit } END { exit !found }' "$RUN/$1.out" \
    || die "'$1' printed no PORT line"
}

cmd_check() {
  local -a missing=() optional=() required=("${REQUIRED_PKGS[@]}")
  local p browser=0
  for p in "$@"; do
    case "$p" in
      browser) browser=1 ;;
      *) die "check: unknown group '$p' (known: browser)" ;;
    esac
  done
  if ((browser)) && [[ -z "${ARGUS_CHROMIUM:-}" ]]; then
    required+=("${BROWSER_PKGS[@]}")
  fi
  for p in "${required[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  for p in "${OPTIONAL_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || optional+=("$p")
  done
  if ((${#missing[@]})); then
    echo "missing packages: ${missing[*]}"
    echo "install with: apt-get update && apt-get install -y --no-install-recommends ${missing[*]} ${optional[*]}"
    if [[ "${ARGUS_AUTO_INSTALL:-0}" == 1 && "$(id -u)" == 0 ]]; then
      echo "ARGUS_AUTO_INSTALL=1: installing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q
      apt-get install -y -q --no-install-recommends "${missing[@]}" "${optional[@]}"
      missing=()
      optional=()
    else
      return 1
    fi
  elif ((${#optional[@]})); then
    echo "optional packages missing (synthetic cameras get no clock overlay): ${optional[*]}"
    echo "install with: apt-get install -y --no-install-recommends ${optional[*]}"
    if [[ "${ARGUS_AUTO_INSTALL:-0}" == 1 && "$(id -u)" == 0 ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${optional[@]}" \
        || echo "could not install optional packages (continuing)"
    fi
  fi
  # Functional check: the gi bindings and the GStreamer elements really load.
  "$PY" - "${REQUIRED_ELEMENTS[@]}" <<'EOF' || return 1
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstApp, GstRtspServer  # noqa: F401
Gst.init(None)
bad = [e for e in sys.argv[1:] if Gst.ElementFactory.find(e) is None]
if bad:
    print("missing GStreamer elements: " + " ".join(bad))
    sys.exit(1)
print("gstreamer %s ok (clockoverlay: %s)" % (
    Gst.version_string(), "yes" if Gst.ElementFactory.find("clockoverlay") else "no"))
EOF
  command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || { echo "ffmpeg/ffprobe not on PATH"; return 1; }
  [[ -x /usr/sbin/mosquitto ]] || { echo "/usr/sbin/mosquitto missing"; return 1; }
  "$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "$PY cannot import aiosmtpd"; return 1; }
  if ((browser)); then
    local chromium="${ARGUS_CHROMIUM:-/usr/bin/chromium}"
    # Debian's wrapper script may print shell noise on stderr; only the version line matters.
    "$chromium" --version 2>/dev/null | grep -q Chromium || { echo "$chromium does not run (--version)"; return 1; }
    echo "$("$chromium" --version 2>/dev/null) ok"
  fi
  echo "testbed check ok"
}

[[ $# -ge 1 ]] || usage
sub="$1"; shift
case "$sub" in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  stop-all|stopall) cmd_stop_all ;;
  status|list) cmd_status ;;
  port) cmd_port "$@" ;;
  check) cmd_check "$@" ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
