#!/usr/bin/env bash
# make demo: a local cluster, migrated, with the eight gemeenten and the partners as tenants, the
# sample data set generated and loaded, and the spending table printed. Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin="${BIN:-.build/debug}"
etl="$bin/leefbaar-etl"
scripts/pg-local.sh start
export DATABASE_URL="$(scripts/pg-local.sh url)"
pgdir="$(readlink -f .pgdata)"
# The key for pseudonymised columns (case numbers): made once, kept with the local cluster.
[ -s "$pgdir/hash.key" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n" > "$pgdir/hash.key"
export LEEFBAAR_HASH_KEY_FILE="$pgdir/hash.key"

"$etl" migrate
# Adding a tenant that exists already changes nothing, so a second demo just says so.
for g in GM0106 GM1690 GM0118 GM0119 GM1731 GM1699 GM0085 GM1701; do
  "$etl" tenant add gemeente "$g"
done
while IFS=';' read -r code name _; do
  [ "$code" = Code ] && continue
  "$etl" tenant add partner "$code" --name "$name"
done < <("$etl" sample --out demo-out/sample >/dev/null && cat demo-out/sample/partners.csv)

"$etl" sample --out demo-out/sample | while IFS=$'\t' read -r feed file; do
  "$etl" load --feed "$feed" "$file" --log-format json 2>>demo-out/load.log | tail -n 1
done
echo
"$etl" batches --limit 20
echo
report="$bin/leefbaar-report"
"$report" run uitgaven --year 2019
echo
"$report" run focus --year 2019
echo
"$report" export --year 2019 --out demo-out/export
