#!/usr/bin/env bash
# Creates the ledger's PostgreSQL role and database; idempotent (a second run changes nothing but the password).
# The ledger applies its own schema migrations at start-up. Connects with psql's usual variables as a superuser
# (PGHOST, PGPORT, PGUSER, PGPASSWORD; in the postgres container image it runs as an init script).
# Usage: LEDGER_PASSWORD=... infra/postgres/setup.sh [DATABASE [ROLE]]
# Then: --engine postgres --connection-string "Host=...;Port=...;Database=DATABASE;Username=ROLE;Password=..."
set -euo pipefail
export PGUSER="${PGUSER:-${POSTGRES_USER:-postgres}}"
ledger_db="${1:-${LEDGER_DATABASE:-ledger}}"
ledger_role="${2:-${LEDGER_ROLE:-ledger}}"
: "${LEDGER_PASSWORD:?set LEDGER_PASSWORD to the password of the ledger role}"

psql -X -q -v ON_ERROR_STOP=1 -v role="$ledger_role" -v db="$ledger_db" -v password="$LEDGER_PASSWORD" --dbname "${PGDATABASE:-postgres}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'role', 'UTF8')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SQL

# Only the ledger's role may create objects in its database's public schema.
psql -X -q -v ON_ERROR_STOP=1 -v role="$ledger_role" --dbname "$ledger_db" <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('ALTER SCHEMA public OWNER TO %I', :'role') \gexec
SQL
echo "ledger: database '$ledger_db' and role '$ledger_role' are ready"
