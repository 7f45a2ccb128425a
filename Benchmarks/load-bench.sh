#!/usr/bin/env bash
# Load benchmark (make bench; never part of make test). For each size, in one throwaway cluster and
# one run, a generated Dutch ledger (';', dd-mm-yyyy, 1.234,56, quoted text, Windows-1252) and the
# same rows pre-cleaned (ISO dates, dot decimals) for psql:
#   A2  psql \copy of the clean rows into a typed table of core.spending's columns, no indexes
#   A6  psql \copy into a table of core.spending's shape (its generated year column computed),
#       then core.spending's primary key and two indexes built: the same table, no RLS
#   A6- the same with year a plain column left empty (what earlier runs called A6)
#   pgloader of the Dutch file (installed when missing, as root; BENCH_PGLOADER=0 skips it)
#   leefbaar-etl into an empty warehouse; replacing the year that holds the same rows; a
#   1,000-line ledger of another year into the warehouse holding them; a no-op rerun
# with each client's peak RSS. A6, A6-, the load into an empty warehouse and the replace of its year
# run BENCH_REPEAT times (default 3), one after the other in turn; each is given as its median: this
# machine's speed moves by a third within minutes, and one run each compared two different machines.
# Every timed run starts from a checkpoint and, when this runs as root, an empty page cache
# (BENCH_DROP_CACHES=0 keeps it). On a virtual machine whose host backs guest memory lazily, a write
# into memory the guest has not touched lately (or gave back) runs at a tenth of the speed of one
# into pages just freed: a load right after a dropped database reused the freed pages, a replace,
# whose old year stays cached, did not. With the cache dropped each run starts alike.
# Prints a table and writes it to docs/benchmarks.md (date, machine).
# Usage: Benchmarks/load-bench.sh [ROWS ...]   (default: 1000000 5000000 10000000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rows_list=("$@")
[ $# -gt 0 ] || rows_list=(1000000 5000000 10000000)
work="$(mktemp -d "${TMPDIR:-/tmp}/leefbaar-bench-XXXXXX")"
export LEEFBAAR_PGDATA="$work/pgdata" LEEFBAAR_PGPORT="${BENCH_PGPORT:-55433}" LEEFBAAR_HASH_KEY=leefbaar-benchmark-key
cleanup() { scripts/pg-local.sh stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chmod 755 "$work"

scratch="${BENCH_SCRATCH:-.build}"   # a second build folder (.build-bench) lets a bench build beside development
swift build -c release --scratch-path "$scratch" --product leefbaar-etl >/dev/null
etl="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/leefbaar-etl"
scripts/pg-local.sh start 2>/dev/null
url="$(scripts/pg-local.sh url)"
admin="${url/dbname=leefbaar/dbname=postgres}"
burl="${url/dbname=leefbaar/dbname=bench}"
# pgloader: installed when missing (as root, with apt); BENCH_PGLOADER=0 leaves it out.
pgloader_bin=""
if [ "${BENCH_PGLOADER:-1}" != 0 ]; then
  if ! command -v pgloader >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing pgloader" >&2
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y pgloader; } >/dev/null 2>&1 || echo "pgloader could not be installed" >&2
  fi
  pgloader_bin="$(command -v pgloader || true)"
  [ -n "$pgloader_bin" ] || echo "pgloader is not installed: its column stays empty" >&2
fi

# seconds and peak RSS (MiB) of a command: "S RSS"
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/cmd.out" 2>&1 || { cat "$work/cmd.out" >&2; return 1; }
  awk '{ printf "%.2f %.1f\n", $1, $2 / 1024 }' "$work/time.txt"
}
sql() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$burl" "$@"; }
# What every timed run starts from: a checkpoint, and an empty page cache when it may be dropped.
drop_caches=0
[ "${BENCH_DROP_CACHES:-1}" = 1 ] && [ -w /proc/sys/vm/drop_caches ] && drop_caches=1
quiesce() {
  sql -c checkpoint
  if [ "$drop_caches" = 1 ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
}
columns="gemeente_code, journal, document, line_no, booking_date, account, cost_centre, project_code, inzet_level, category, description, amount, batch_id, source_line"

table="| rows | A2 \\\\copy, no index | A6 \\\\copy + PK + 2 indexes | A6-, year left empty | pgloader | leefbaar, empty warehouse | ÷ A6 | ÷ A6- | replace the same year | replace ÷ load | 1,000 lines into it | no-op rerun |
|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
singles="| rows | A6 | A6- | leefbaar | replace | replace ÷ load |
|--:|--|--|--|--|--|"
list() { local out="" v; for v in "$@"; do out="$out${out:+, }$(printf '%.2f' "$v")"; done; echo "$out"; }
repeat="${BENCH_REPEAT:-3}"
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# A6 into a table made by $1 (a "like" clause): seconds of the \copy plus the index builds.
a6_once() {
  sql -c "drop table if exists public.a6" -c "create table public.a6 ($1)"
  quiesce
  local c i
  read -r c _ < <(measure psql -X -q "$burl" -c "\\copy public.a6 ($columns) from '$work/ledger-clean.tsv'")
  read -r i _ < <(measure psql -X -q "$burl" -c "alter table public.a6 add primary key (gemeente_code, journal, document, line_no)" \
    -c "create index on public.a6 (year, gemeente_code, inzet_level)" -c "create index on public.a6 (project_code) where project_code is not null")
  sql -c "drop table public.a6"
  echo "$c + $i" | bc -l
}
fresh_warehouse() {
  PGOPTIONS="-c client_min_messages=warning" psql -X -q "$admin" -c "drop database if exists bench" -c "create database bench"
  DATABASE_URL="$burl" "$etl" migrate >/dev/null
}
for rows in "${rows_list[@]}"; do
  fresh_warehouse
  python3 Benchmarks/gen_ledger.py "$rows" "$work/ledger.csv" "$work/ledger-clean.tsv"
  python3 Benchmarks/gen_ledger.py 1000 "$work/small.csv" "$work/small-clean.tsv" 2020

  sql -c "create table public.a2 (like core.spending)"
  quiesce
  read -r a2 _ < <(measure psql -X -q "$burl" -c "\\copy public.a2 ($columns) from '$work/ledger-clean.tsv'")
  sql -c "drop table public.a2"

  # The same rows in a file with other bytes (one more trailing blank line each time): the year is replaced.
  cp "$work/ledger.csv" "$work/ledger-again.csv"
  a6s=() a6ms=() loads=() load_rss=0 replaces=() replace_rss=0 pairs=()
  for ((r = 0; r < repeat; r++)); do
    a6s+=("$(a6_once "like core.spending including generated")")
    a6ms+=("$(a6_once "like core.spending")")
    [ "$r" -gt 0 ] && fresh_warehouse
    quiesce
    read -r l rss < <(measure env DATABASE_URL="$burl" "$etl" load -q --feed ledger "$work/ledger.csv")
    loads+=("$l")
    load_rss=$(echo "if ($rss > $load_rss) $rss else $load_rss" | bc -l)
    loaded=$(sql -tA -c "select count(*) from core.spending")
    [ "$loaded" = "$rows" ] || { echo "loaded $loaded of $rows rows" >&2; exit 1; }
    # The replace right after the load it is compared with.
    printf '\r\n' >> "$work/ledger-again.csv"
    quiesce
    read -r p rss < <(measure env DATABASE_URL="$burl" "$etl" load -q --feed ledger "$work/ledger-again.csv")
    replaces+=("$p")
    replace_rss=$(echo "if ($rss > $replace_rss) $rss else $replace_rss" | bc -l)
    pairs+=("$(echo "$p / $l" | bc -l)")
    printf '  %s rows, run %d: A6 %.2f s, A6- %.2f s, leefbaar %.2f s, replace %.2f s (%.2f×)\n' \
      "$rows" "$((r + 1))" "${a6s[-1]}" "${a6ms[-1]}" "$l" "$p" "${pairs[-1]}" >&2
  done
  a6=$(median "${a6s[@]}")
  a6m=$(median "${a6ms[@]}")
  load=$(median "${loads[@]}")
  replace=$(median "${replaces[@]}")
  pair=$(median "${pairs[@]}")

  pgl="—"
  if [ -n "$pgloader_bin" ]; then
    sql -c "create table public.pgl (like core.spending)"
    cat > "$work/ledger.load" <<LOAD
LOAD CSV FROM '$work/ledger.csv' WITH ENCODING windows-1252
  (boekdatum, dagboek, boekstuk, regel, grootboek, kostenplaats, gemeente, project, inzet, categorie, omschrijving, bedrag)
INTO postgresql:///bench?host=$(dirname "$LEEFBAAR_PGDATA/socket/x")&port=$LEEFBAAR_PGPORT&user=postgres&tablename=pgl
  (booking_date date using (format nil "~a-~a-~a" (subseq boekdatum 6 10) (subseq boekdatum 3 5) (subseq boekdatum 0 2)),
   journal text using (identity dagboek), document text using (identity boekstuk), line_no integer using (identity regel),
   account text using (identity grootboek), cost_centre text using (identity kostenplaats), gemeente_code text using (identity gemeente),
   project_code text using (identity project), inzet_level text using (identity inzet), category text using (identity categorie),
   description text using (identity omschrijving),
   amount numeric using (substitute (code-char 46) (code-char 44) (remove (code-char 46) bedrag)),
   batch_id bigint using "0", source_line bigint using (identity regel))
WITH skip header = 1, fields terminated by ';', fields optionally enclosed by '"';
LOAD
    if read -r p _ < <(measure "$pgloader_bin" --quiet "$work/ledger.load"); then pgl="$p s"; else pgl="failed"; fi
    got=$(sql -tA -c "select count(*) from public.pgl")
    [ "$got" = "$rows" ] || pgl="failed ($got of $rows rows)"
    sql -c "drop table public.pgl"
  fi

  quiesce
  read -r small small_rss < <(measure env DATABASE_URL="$burl" "$etl" load -q --feed ledger "$work/small.csv")
  read -r noop noop_rss < <(measure env DATABASE_URL="$burl" "$etl" load -q --feed ledger "$work/small.csv")
  total=$(sql -tA -c "select count(*) from core.spending")
  [ "$total" = "$((rows + 1000))" ] || { echo "warehouse holds $total rows, expected $((rows + 1000))" >&2; exit 1; }
  ratio=$(echo "$a6 / $load" | bc -l)
  ratio_m=$(echo "$a6m / $load" | bc -l)
  rate() { printf '%.0fk/s' "$(echo "$rows / $1 / 1000" | bc -l)"; }
  line=$(printf '| %s | %.2f s (%s) | %.2f s (%s) | %.2f s (%s) | %s | %.2f s (%s), %.0f MiB | %.2f | %.2f | %.2f s, %.0f MiB | %.2f | %.2f s, %.0f MiB | %.2f s, %.0f MiB |' \
    "$(printf "%'d" "$rows" 2>/dev/null || echo "$rows")" "$a2" "$(rate "$a2")" "$a6" "$(rate "$a6")" "$a6m" "$(rate "$a6m")" "$pgl" "$load" "$(rate "$load")" "$load_rss" \
    "$ratio" "$ratio_m" "$replace" "$replace_rss" "$pair" "$small" "$small_rss" "$noop" "$noop_rss")
  echo "$line"
  table="$table
$line"
  singles="$singles
| $(printf "%'d" "$rows" 2>/dev/null || echo "$rows") | $(list "${a6s[@]}") s | $(list "${a6ms[@]}") s | $(list "${loads[@]}") s | $(list "${replaces[@]}") s | $(list "${pairs[@]}") |"
done

machine="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(psql -X -tA "$burl" -c 'show server_version' | cut -d' ' -f1) (defaults), $(uname -sr)"
{
  echo "# Load benchmarks"
  echo
  echo "Written by \`make bench\` (\`Benchmarks/load-bench.sh\`) on $(date -u +%Y-%m-%d), $machine."
  echo "A generated Dutch ledger loaded into \`core.spending\`; A2/A6 load the same rows pre-cleaned with psql."
  echo "Seconds (rows/s), peak RSS of the leefbaar-etl client; ÷ A6 is A6's time over leefbaar's (1.0 = as fast)."
  echo "A6 builds core.spending's shape (its generated year computed); A6- leaves year an empty plain column."
  echo "A6, A6-, leefbaar into an empty warehouse and leefbaar replacing that year: the median of $repeat runs each, taken in turn;"
  echo "replace ÷ load is the median of each replace over the load just before it."
  if [ "$drop_caches" = 1 ]; then
    echo "Each timed run starts from a checkpoint and an empty page cache."
  else
    echo "Each timed run starts from a checkpoint (the page cache was not dropped)."
  fi
  echo
  echo "$table"
  echo
  echo "The single runs, in the order they ran:"
  echo
  echo "$singles"
} > docs/benchmarks.md
echo "wrote docs/benchmarks.md"
