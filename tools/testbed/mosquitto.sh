#!/usr/bin/env bash
# Starts Debian's mosquitto on 127.0.0.1:PORT (anonymous, no persistence); prints PORT and READY once it listens.
#   tools/testbed/mosquitto.sh 18830        (or via: testbed.sh start mqtt -- tools/testbed/mosquitto.sh 18830)
set -euo pipefail
PORT="${1:?usage: mosquitto.sh PORT}"
CONF="$(mktemp /tmp/argus-mosquitto.XXXXXX.conf)"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$PORT" >"$CONF"
/usr/sbin/mosquitto -c "$CONF" &
PID=$!
trap 'kill "$PID" 2>/dev/null; rm -f "$CONF"' EXIT TERM INT
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "PORT $PORT"
    echo READY
    wait "$PID"
    exit $?
  fi
  kill -0 "$PID" 2>/dev/null || exit 1
  sleep 0.1
done
echo "mosquitto did not listen on $PORT" >&2
exit 1
