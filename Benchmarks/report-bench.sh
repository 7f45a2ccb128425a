#!/usr/bin/env bash
# Report benchmark: the sample data set with a ledger of SCALE × 330 lines (default 3100: about a
# million), every report timed for the corporation, a gemeente and a partner, and the all-tenant export.
# Usage: Benchmarks/report-bench.sh [SCALE]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scale="${1:-3100}"
work="$(mktemp -d "${TMPDIR:-/tmp}/leefbaar-rbench-XXXXXX")"
export LEEFBAAR_PGDATA="$work/pgdata" LEEFBAAR_PGPORT="${BENCH_PGPORT:-55434}" LEEFBAAR_HASH_KEY=leefbaar-benchmark-key
cleanup() { scripts/pg-local.sh stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chmod 755 "$work"
swift build -c release >/dev/null
bin="$(swift build -c release --show-bin-path)"
scripts/pg-local.sh start 2>/dev/null
export DATABASE_URL="$(scripts/pg-local.sh url)"
"$bin/leefbaar-etl" migrate >/dev/null
for g in GM0106 GM1690 GM0118 GM0119 GM1731 GM1699 GM0085 GM1701; do "$bin/leefbaar-etl" tenant add gemeente "$g" >/dev/null; done
"$bin/leefbaar-etl" sample --out "$work/s1" > "$work/files.txt"
while IFS=';' read -r code name _; do [ "$code" = Code ] || "$bin/leefbaar-etl" tenant add partner "$code" --name "$name" >/dev/null; done < "$work/s1/partners.csv"
while IFS=$'\t' read -r feed file; do "$bin/leefbaar-etl" load --feed "$feed" "$file" >/dev/null 2>&1; done < "$work/files.txt"
"$bin/leefbaar-etl" sample --out "$work/big" --scale "$scale" --only ledger >/dev/null
"$bin/leefbaar-etl" load --feed ledger "$work/big/grootboek-2019.csv" 2>/dev/null | tail -n 1
psql -X -q "$DATABASE_URL" -c "analyze"
lines=$(psql -X -tA "$DATABASE_URL" -c "select count(*) from core.spending")
echo "ledger lines in core.spending: $lines"
ms() { local best=999999; for _ in 1 2 3; do local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); local d=$(( (t1 - t0) / 1000000 )); [ $d -lt $best ] && best=$d; done; echo $best; }
printf '%-16s %14s %14s %14s\n' report corporation GM0106 vaart-welzijn
for r in uitgaven per-vhe leefbaarometer focus activiteiten initiatieven langer-thuis partner; do
  c=$(ms "$bin/leefbaar-report" run "$r" --year 2019 --format json)
  g=$( "$bin/leefbaar-report" run "$r" --year 2019 --tenant GM0106 >/dev/null 2>&1 && ms "$bin/leefbaar-report" run "$r" --year 2019 --tenant GM0106 --format json || echo -)
  p=$( "$bin/leefbaar-report" run "$r" --year 2019 --tenant vaart-welzijn >/dev/null 2>&1 && ms "$bin/leefbaar-report" run "$r" --year 2019 --tenant vaart-welzijn --format json || echo -)
  printf '%-16s %12s ms %12s ms %12s ms\n' "$r" "$c" "$g" "$p"
done
printf '%-16s %12s ms\n' jaarverslag "$(ms "$bin/leefbaar-report" run jaarverslag --year 2019 --format html)"
t0=$(date +%s%N); "$bin/leefbaar-report" export --year 2019 --out "$work/export"; t1=$(date +%s%N)
echo "export, all tenants: $(( (t1 - t0) / 1000000 )) ms (process start included)"
