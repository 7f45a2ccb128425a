#!/usr/bin/env bash
# Load benchmark: leefbaar-etl (release) end to end into core.spending vs psql \copy of the same
# rows, pre-cleaned, into a typed logged table of the same columns and indexes — in the same run,
# on a throwaway cluster. Usage: Benchmarks/load-bench.sh [ROWS ...]   (default: 1000000 5000000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rows_list=("$@")
[ $# -gt 0 ] || rows_list=(1000000 5000000)
work="$(mktemp -d "${TMPDIR:-/tmp}/leefbaar-bench-XXXXXX")"
export LEEFBAAR_PGDATA="$work/pgdata" LEEFBAAR_PGPORT="${BENCH_PGPORT:-55433}"
cleanup() { scripts/pg-local.sh stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chmod 755 "$work"

scratch="${BENCH_SCRATCH:-.build}"   # a second build folder (.build-bench) lets a bench build beside development
swift build -c release --scratch-path "$scratch" --product leefbaar-etl >/dev/null
etl="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/leefbaar-etl"
scripts/pg-local.sh start 2>/dev/null
url="$(scripts/pg-local.sh url)"

for rows in "${rows_list[@]}"; do
  admin="${url/dbname=leefbaar/dbname=postgres}"
  psql -X -q "$admin" -c "drop database if exists bench" -c "create database bench"
  burl="${url/dbname=leefbaar/dbname=bench}"
  DATABASE_URL="$burl" "$etl" migrate >/dev/null
  python3 Benchmarks/gen_ledger.py "$rows" "$work/ledger.csv" "$work/ledger-clean.tsv"
  size=$(stat -c %s "$work/ledger.csv")

  psql -X -q "$burl" -c "create table public.bench_copy (like core.spending including all)"
  t0=$(date +%s.%N)
  psql -X -q "$burl" -c "\\copy public.bench_copy (gemeente_code, journal, document, line_no, booking_date, account, cost_centre, project_code, inzet_level, category, description, amount, batch_id, source_line) from '$work/ledger-clean.tsv'"
  t1=$(date +%s.%N)
  copy_s=$(echo "$t1 - $t0" | bc -l)

  /usr/bin/time -v -o "$work/time.txt" env DATABASE_URL="$burl" "$etl" load --feed ledger "$work/ledger.csv" >"$work/load.out" 2>&1 \
    || { cat "$work/load.out"; exit 1; }
  etl_s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time.txt")
  rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  loaded=$(psql -X -tA "$burl" -c "select count(*) from core.spending")
  same=$(psql -X -tA "$burl" -c "select (select sum(amount) from core.spending) = (select sum(amount) from public.bench_copy)")
  printf 'rows=%d file=%.1fMB  psql \\copy: %.2fs %.0f rows/s  leefbaar-etl: %.2fs %.0f rows/s  ratio=%.2f  peak RSS=%.1f MiB  loaded=%s same-sum=%s\n' \
    "$rows" "$(echo "$size / 1000000" | bc -l)" "$copy_s" "$(echo "$rows / $copy_s" | bc -l)" "$etl_s" "$(echo "$rows / $etl_s" | bc -l)" \
    "$(echo "$copy_s / $etl_s" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)" "$loaded" "$same"
done
