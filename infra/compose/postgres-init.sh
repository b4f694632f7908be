#!/usr/bin/env bash
# LOCAL DEVELOPMENT ONLY: run once by the postgres image on an empty data volume
# (/docker-entrypoint-initdb.d). Creates the two roles the registry expects:
#   - the owner role (REGISTRY_OWNER_ROLE) owns the database and the public schema; migrations
#     (`registry db upgrade`, DATABASE_OWNER_URL) run as it;
#   - the app role (REGISTRY_APP_ROLE) is NOT the owner and cannot bypass row-level security;
#     every long-running process connects as it (DATABASE_URL, DATABASE_APP_ROLE).
# Passwords come from the compose file and are throwaway local values.
set -euo pipefail

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v owner="$REGISTRY_OWNER_ROLE" -v owner_password="$REGISTRY_OWNER_PASSWORD" \
  -v app="$REGISTRY_APP_ROLE" -v app_password="$REGISTRY_APP_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;

ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";

ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- Tables and sequences the owner creates later are usable by the app role; migrations may narrow
-- this (for example an append-only journal without UPDATE/DELETE).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app";
SQL
