#!/usr/bin/env bash
# Start (or reuse) a private PostgreSQL cluster for tests and write .local/postgres.env.
# Local test clusters only: the random passwords it makes are not for any real deployment.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
ENV_FILE="$ROOT/.local/postgres.env"
PORT=${REGISTRY_PG_PORT:-55432}
DB=registry OWNER=registry_owner APP=registry_app
# The repo may sit where the postgres user cannot enter, so the cluster lives under /var/tmp.
AREA="/var/tmp/carbon-registry-pg-$(printf %s "$ROOT" | sha256sum | cut -c1-10)"
PGDATA="$AREA/data" SOCK="$AREA/run" SECRETS="$AREA/passwords.env"
mkdir -p "$ROOT/.local"

say() { echo "postgres: $*" >&2; }

write_env() { # url owner_url app_role pidfile
  (umask 077; printf 'export %s=%q\n' DATABASE_URL "$1" DATABASE_OWNER_URL "$2" \
      DATABASE_APP_ROLE "$3" PG_PIDFILE "$4" > "$ENV_FILE.tmp")
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

# Runs one SQL statement against a SQLAlchemy-style URL with psql, or psycopg when psql is absent.
url_query() { # url sql
  local url
  url=$(printf %s "$1" | sed -E 's#^postgres(ql)?\+[A-Za-z0-9_]+://#postgresql://#')
  local psql; psql=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1 || true)
  psql=${psql:-$(command -v psql || true)}
  if [[ -n $psql ]]; then
    PGCONNECT_TIMEOUT=3 "$psql" -X -Atq -d "$url" -c "$2" 2>/dev/null
  else
    "${PYTHON:-$ROOT/.venv/bin/python}" -c 'import sys, psycopg
with psycopg.connect(sys.argv[1], connect_timeout=3) as c: print(c.execute(sys.argv[2]).fetchone()[0])' \
      "$url" "$2" 2>/dev/null
  fi
}

# 1. An external server given by the caller (our own private URL falls through to step 2).
if [[ -n ${DATABASE_URL:-} && $DATABASE_URL != *@127.0.0.1:$PORT/* ]]; then
  if version=$(url_query "$DATABASE_URL" 'SHOW server_version'); then
    role=${DATABASE_APP_ROLE:-$(printf %s "$DATABASE_URL" | sed -E 's#^[^:]+://([^:@/]+).*#\1#')}
    write_env "$DATABASE_URL" "${DATABASE_OWNER_URL:-$DATABASE_URL}" "$role" ""
    echo "postgres: external server from DATABASE_URL, PostgreSQL $version"
    exit 0
  fi
  say "DATABASE_URL is set but not reachable; starting the private cluster instead"
fi

# 2. The private cluster.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  [[ $(id -u) == 0 ]] || { say "PostgreSQL server binaries missing; install the postgresql package"; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null; apt-get install -y -q postgresql >/dev/null; }
fi
BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")

# initdb refuses root, so the server runs as the postgres OS user.
if [[ $(id -u) == 0 ]]; then
  PGUSER_OS=postgres
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  PGUSER_OS=$(id -un)
  as_pg() { "$@"; }
fi

if [[ ! -f $PGDATA/PG_VERSION ]]; then
  mkdir -p "$AREA"
  chown "$PGUSER_OS:" "$AREA"
  chmod 700 "$AREA"
  rm -rf "$PGDATA" "$SECRETS"   # a new cluster gets new passwords
  as_pg mkdir -p "$SOCK"
  as_pg "$BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >"$AREA/initdb.log" 2>&1 \
    || { cat "$AREA/initdb.log" >&2; exit 1; }
  as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null <<EOF
# carbon-registry test cluster (infra/postgres/up.sh): durability off, for tests only
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi

# Reuse a running cluster, else start it. Retried for a while: after a crash the old postmaster can
# linger as a zombie, or orphaned backends can still hold its shared memory, and a start is refused.
ready() { "$BIN/pg_isready" -q -h "$SOCK" -p "$PORT" -U postgres; }
postmaster_alive() {
  local pid; pid=$(head -n1 "$PGDATA/postmaster.pid" 2>/dev/null) || return 1
  grep -qa postgres "/proc/$pid/cmdline" 2>/dev/null   # a zombie has an empty cmdline
}
for _ in $(seq 60); do
  ready && break
  # The port is given at start too, so a moved REGISTRY_PG_PORT applies to an existing data folder.
  postmaster_alive || as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$AREA/server.log" -o "-p $PORT" -w -t 60 start \
    >/dev/null 2>&1 || true
  ready && break
  sleep 0.5
done
ready || { say "cluster in $PGDATA did not start"; tail -n 30 "$AREA/server.log" >&2; exit 1; }

if [[ ! -f $SECRETS ]]; then
  (umask 077; printf 'OWNER_PW=%s\nAPP_PW=%s\n' \
     "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" \
     > "$SECRETS")
  chown "$PGUSER_OS:" "$SECRETS"
fi
# shellcheck source=/dev/null
. "$SECRETS"

# Idempotent: roles, database and grants are (re)asserted on every call. Passwords go on stdin, not argv.
as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres -d postgres >/dev/null <<SQL
\set owner_pw '$OWNER_PW'
\set app_pw '$APP_PW'
SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY['$OWNER', '$APP']) r
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE $OWNER LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD :'owner_pw';
ALTER ROLE $APP LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD :'app_pw';
SELECT 'CREATE DATABASE $DB OWNER $OWNER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB') \gexec
ALTER DATABASE $DB OWNER TO $OWNER;
GRANT CONNECT ON DATABASE $DB TO $APP;
SQL

# btree_gist is trusted (PG 13+): the owner must be able to create it; checked in a rolled-back transaction.
PGPASSWORD=$OWNER_PW PGOPTIONS='-c client_min_messages=warning' \
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$OWNER" -d "$DB" \
  -c 'BEGIN' -c 'CREATE EXTENSION IF NOT EXISTS btree_gist' -c 'ROLLBACK' >/dev/null

url() { echo "postgresql+psycopg://$1:$2@127.0.0.1:$PORT/$DB"; }
write_env "$(url "$APP" "$APP_PW")" "$(url "$OWNER" "$OWNER_PW")" "$APP" "$PGDATA/postmaster.pid"
version=$(as_pg "$BIN/psql" -X -Atq -h "$SOCK" -p "$PORT" -U postgres -d postgres -c 'SHOW server_version')
echo "postgres: private cluster PostgreSQL $version on 127.0.0.1:$PORT (data $PGDATA)"
