#!/usr/bin/env bash
# xlsx benchmark: a generated ledger workbook of ROWS lines (default 1,000,000) loaded by
# leefbaar-etl (release) into an empty warehouse on a throwaway cluster; prints time, rows/s,
# peak RSS and whether the sum matches the generator's. Usage: Benchmarks/xlsx-bench.sh [ROWS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rows="${1:-1000000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/leefbaar-xlsx-bench-XXXXXX")"
export LEEFBAAR_PGDATA="$work/pgdata" LEEFBAAR_PGPORT="${BENCH_PGPORT:-55434}"
cleanup() { scripts/pg-local.sh stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chmod 755 "$work"
scratch="${BENCH_SCRATCH:-.build}"   # a second build folder (.build-bench) lets a bench build beside development
swift build -c release --scratch-path "$scratch" --product leefbaar-etl >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
etl="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/leefbaar-etl"
scripts/pg-local.sh start >/dev/null 2>&1
url="$(scripts/pg-local.sh url)"
DATABASE_URL="$url" "$etl" migrate >/dev/null
expected=$(python3 Benchmarks/gen_xlsx.py "$rows" "$work/grootboek.xlsx")
size=$(stat -c %s "$work/grootboek.xlsx")
/usr/bin/time -v -o "$work/time.txt" env DATABASE_URL="$url" TMPDIR="$work" "$etl" load --spec Benchmarks/ledger-xlsx.yaml "$work/grootboek.xlsx" >"$work/load.out" 2>&1 \
  || { cat "$work/load.out"; exit 1; }
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time.txt")
rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
got=$(psql -X -tA "$url" -c "select count(*) || ' ' || sum(amount) from core.spending")
printf 'xlsx rows=%d file=%.1fMB  leefbaar-etl: %.2fs %.0f rows/s  peak RSS=%.1f MiB  loaded/sum=%s  expected sum=%s\n' \
  "$rows" "$(echo "$size / 1000000" | bc -l)" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)" "$got" "$expected"
