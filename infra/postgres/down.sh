#!/usr/bin/env bash
# Stop the private test cluster started by infra/postgres/up.sh (its data is kept for a fast restart).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PGDATA="/var/tmp/carbon-registry-pg-$(printf %s "$ROOT" | sha256sum | cut -c1-10)/data"
# If the repo moved since up.sh ran, the env file still names the cluster's pid file.
if [[ ! -f $PGDATA/PG_VERSION && -f $ROOT/.local/postgres.env ]]; then
  # shellcheck source=/dev/null
  pidfile=$(. "$ROOT/.local/postgres.env"; echo "${PG_PIDFILE:-}")
  if [[ -n $pidfile ]]; then PGDATA=$(dirname "$pidfile"); fi
fi
if [[ ! -f $PGDATA/PG_VERSION ]]; then
  echo "postgres: no private cluster to stop"
  exit 0
fi

BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
if [[ $(id -u) == 0 ]]; then
  as_pg() { (cd / && runuser -u "$(stat -c %U "$PGDATA")" -- "$@"); }
else
  as_pg() { "$@"; }
fi

if as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  as_pg "$BIN/pg_ctl" -D "$PGDATA" stop -m fast -w -t 60 >/dev/null
  echo "postgres: stopped private cluster ($PGDATA)"
else
  echo "postgres: private cluster not running ($PGDATA)"
fi
