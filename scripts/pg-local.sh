#!/usr/bin/env bash
# A local PostgreSQL cluster for development and the demo, under .pgdata/ of the checkout.
#   scripts/pg-local.sh start   initdb when needed, start when not running, create database leefbaar
#   scripts/pg-local.sh stop    stop it (fast)
#   scripts/pg-local.sh url     print the conninfo to use as DATABASE_URL
# Port: $LEEFBAAR_PGPORT, else $PGPORT, else 55432; folder: $LEEFBAAR_PGDATA, else .pgdata/.
# As root the server runs as the postgres system user.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${LEEFBAAR_PGPORT:-${PGPORT:-55432}}"
dir="${LEEFBAAR_PGDATA:-$root/.pgdata}"
bindir="$(pg_config --bindir 2>/dev/null || true)"
[ -x "$bindir/initdb" ] || bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bindir/initdb" ] || { echo "pg-local: no initdb found; run 'make deps'" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

prepare_dir() {
  if [ -e "$dir" ]; then return; fi
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$root"; then
    # The postgres user cannot reach the checkout: keep the cluster in a temp folder, linked from .pgdata.
    local real; real="$(mktemp -d "${TMPDIR:-/tmp}/leefbaar-pgdata-XXXXXX")"
    ln -s "$real" "$dir"
  else
    mkdir -p "$dir"
  fi
  mkdir -p "$dir/socket"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$(readlink -f "$dir")"; fi
}

socket() { echo "$(readlink -f "$dir")/socket"; }
url() { echo "host=$(socket) port=$port dbname=leefbaar user=postgres"; }
running() { [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

case "${1:-}" in
  start)
    prepare_dir
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$(readlink -f "$dir")/data" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! running; then
      as_owner "$bindir/pg_ctl" -D "$(readlink -f "$dir")/data" -l "$(readlink -f "$dir")/server.log" -w -t 60 \
        -o "-k $(socket) -p $port -c listen_addresses=127.0.0.1" start >/dev/null \
        || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    "$bindir/psql" -X -q "host=$(socket) port=$port dbname=postgres user=postgres" -tAc \
      "select 1 from pg_database where datname = 'leefbaar'" | grep -q 1 \
      || "$bindir/psql" -X -q "host=$(socket) port=$port dbname=postgres user=postgres" -c "create database leefbaar"
    echo "PostgreSQL running; use: export DATABASE_URL=\"$(url)\"" >&2
    ;;
  stop)
    if running; then as_owner "$bindir/pg_ctl" -D "$(readlink -f "$dir")/data" -m fast -w stop >/dev/null; fi
    echo "PostgreSQL stopped" >&2
    ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
