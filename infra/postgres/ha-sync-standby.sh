#!/usr/bin/env bash
# High availability example on one machine, without Docker: a PostgreSQL primary with one synchronous standby
# (streaming replication, synchronous_commit = on: a commit returns only once the standby has flushed it), the
# ledger's database set up by setup.sh, and failover by promoting the standby (docs/OPERATIONS.md, "High availability").
# Run as root (the servers run as the postgres user) or as a user that may run initdb.
#
#   infra/postgres/ha-sync-standby.sh up WORKDIR PRIMARY_PORT STANDBY_PORT   # LEDGER_PASSWORD=... in the environment
#   infra/postgres/ha-sync-standby.sh crash-primary WORKDIR                   # immediate stop: no shutdown checkpoint
#   infra/postgres/ha-sync-standby.sh promote WORKDIR                         # the standby becomes the primary
#   infra/postgres/ha-sync-standby.sh down WORKDIR                            # stops both, deletes WORKDIR
set -euo pipefail
cmd="${1:?usage: $0 up|crash-primary|promote|down WORKDIR [PRIMARY_PORT STANDBY_PORT]}"
work="${2:?WORKDIR}"
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
sql() { psql -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atqc "$2"; }

case "$cmd" in
up)
  pport="${3:?PRIMARY_PORT}"; sport="${4:?STANDBY_PORT}"
  : "${LEDGER_PASSWORD:?set LEDGER_PASSWORD}"
  mkdir -p "$work"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$work"
  chmod 0700 "$work"
  as_pg "$bin/initdb" -D "$work/primary" -U postgres --auth=trust -E UTF8 >/dev/null
  cat >>"$work/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pport
unix_socket_directories = '$work'
wal_level = replica
max_wal_senders = 4
synchronous_commit = on
synchronous_standby_names = 'FIRST 1 (standby)'
fsync = on
CONF
  echo "host replication postgres 127.0.0.1/32 trust" >>"$work/primary/pg_hba.conf"
  as_pg "$bin/pg_ctl" -D "$work/primary" -l "$work/primary.log" -w start >/dev/null
  as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$work/standby" -R -X stream --checkpoint=fast
  # postgresql.auto.conf (written by -R) wins over postgresql.conf: the standby's own settings go there, last.
  cat >>"$work/standby/postgresql.auto.conf" <<CONF
port = $sport
primary_conninfo = 'host=127.0.0.1 port=$pport user=postgres application_name=standby'
CONF
  as_pg "$bin/pg_ctl" -D "$work/standby" -l "$work/standby.log" -w start >/dev/null
  state=""
  for _ in $(seq 200); do
    state="$(sql "$pport" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'")"
    [ "$state" = sync ] && break
    sleep 0.1
  done
  [ "$state" = sync ] || { echo "the standby did not become synchronous (state '$state')" >&2; exit 1; }
  PGHOST=127.0.0.1 PGPORT="$pport" PGUSER=postgres PGDATABASE=postgres "$here/setup.sh"
  echo "primary 127.0.0.1:$pport, synchronous standby 127.0.0.1:$sport"
  ;;
crash-primary)
  as_pg "$bin/pg_ctl" -D "$work/primary" -m immediate -w stop >/dev/null
  ;;
promote)
  as_pg "$bin/pg_ctl" -D "$work/standby" -w promote >/dev/null
  sport="$(sed -n "s/^port = \([0-9]*\)$/\1/p" "$work/standby/postgresql.auto.conf" | tail -1)"
  # Nothing is left to be synchronous with: without this every commit would wait forever. Until a new standby is
  # attached, commits are durable on this server only (docs/OPERATIONS.md).
  sql "$sport" "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
  sql "$sport" "SELECT pg_reload_conf()" >/dev/null
  [ "$(sql "$sport" "SELECT pg_is_in_recovery()")" = f ] || { echo "the standby was not promoted" >&2; exit 1; }
  echo "promoted 127.0.0.1:$sport"
  ;;
down)
  for node in standby primary; do
    [ -d "$work/$node" ] && as_pg "$bin/pg_ctl" -D "$work/$node" -m fast -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$work"
  ;;
*)
  echo "unknown command '$cmd'" >&2; exit 2
  ;;
esac
