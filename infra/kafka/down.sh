#!/usr/bin/env bash
# Stop the local test broker started by infra/kafka/up.sh (by its pid; data and jars are kept).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PIDFILE="$ROOT/.local/kafka/kafka.pid"

pid=$(cat "$PIDFILE" 2>/dev/null || true)
# A live broker's cmdline names kafka.Kafka; a reused pid or a zombie (empty cmdline) does not.
alive() { grep -qa kafka.Kafka "/proc/$1/cmdline" 2>/dev/null; }

if [[ -z $pid ]] || ! alive "$pid"; then
  rm -f "$PIDFILE"
  echo "kafka: local broker not running"
  exit 0
fi

kill -TERM "$pid"
for _ in $(seq 60); do   # controlled shutdown normally takes a few seconds
  alive "$pid" || break
  sleep 0.5
done
if alive "$pid"; then
  echo "kafka: broker $pid ignored TERM for 30s; sending KILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
fi
rm -f "$PIDFILE"
echo "kafka: stopped local broker (pid $pid)"
