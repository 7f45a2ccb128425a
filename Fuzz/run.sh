#!/usr/bin/env bash
# make fuzz: builds the libFuzzer harness (Fuzz/Sources, over the DB-free Ingest target, with
# -sanitize=fuzzer,address) and runs each target for RUNS executions (default 10,000,000),
# seeded from the test fixtures and Fuzz/corpus/<target>. Any crash, leak, slow input (> 1 s)
# or memory over 2 GiB fails the run; the input is kept in .build-fuzz/artifacts/<target>/. One that
# is a real bug moves to Fuzz/corpus/<target>/ (committed, seeding every later run) with a regression test.
# Usage: Fuzz/run.sh [RUNS] [TARGET...]   (targets: csv values sheet json jsonl jsonarray yaml bytes)
# FUZZ_TIMEOUT (default 1) is libFuzzer's per-input wall-clock limit; on a machine busy with other
# work raise it, and read the "Slowest unit" lines: every input slower than 1 s is reported there
# (and kept as .build-fuzz/artifacts/<target>/slow-unit-*) to be replayed alone. Never pause a
# running fuzzer (SIGSTOP) to free the machine: the input in flight then counts as a timeout.
# FUZZ_JOBS=N (default 1) runs N processes at once (libFuzzer's -fork=N) that share one corpus and
# one count of RUNS; any crash, timeout or out-of-memory of any of them still stops the run, and the
# summary is libFuzzer's "#N ... oom/timeout/crash: a/b/c" line. Slow units are then not reported,
# and such a run stops on SIGTERM (not SIGINT) to its parent process.
# ASAN_OPTIONS defaults to max_malloc_fill_size=0:malloc_context_size=0: no 0xbe fill of fresh
# allocations and no allocation stacks, which made jsonarray 1.8x faster with every check kept;
# replay a found input with ASAN_OPTIONS= to see where the memory it touched was allocated.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-10000000}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(csv values sheet json jsonl jsonarray yaml bytes)
out=".build-fuzz"
LEEFBAAR_FUZZ=1 swift build --build-path "$out" -c release --product leefbaar-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -g
binary="$(LEEFBAAR_FUZZ=1 swift build --build-path "$out" -c release --show-bin-path)/leefbaar-fuzz"
status=0
export ASAN_OPTIONS="${ASAN_OPTIONS-max_malloc_fill_size=0:malloc_context_size=0}"
for t in "${targets[@]}"; do
  corpus="$out/corpus-$t"; mkdir -p "$corpus" "Fuzz/corpus/$t" "$out/artifacts/$t"   # kept between runs: coverage grows
  case "$t" in
    csv) find Tests/Fixtures -name '*.csv' -size -64k -exec cp {} "$corpus/" \; ;;
    values) printf '1.234,56' > "$corpus/a"; printf -- '-6.2716917700698496E-2' > "$corpus/b"; printf '31-12-2019' > "$corpus/c"; printf '2019-03-14 00:00:00.000' > "$corpus/d" ;;
    json|jsonarray) find Tests/Fixtures -name '*.json' -size -64k -exec cp {} "$corpus/" \; ; printf '{"a":1,"a":2}' > "$corpus/dup" ;;
    jsonl) printf '%s\n' '{"partner":"Vaart","dossier":{"nummer":"D-1"},"gemeente":"Assen","geopend":"2019-03-01","soort":"overlast"}' \
             '{"partner":"x","dossier":{"nummer":"D-2"},"gemeente":"GM0106","geopend":"2019-13-01","soort":"burenruzie","extra":[1,2]}' > "$corpus/a.jsonl" ;;
    bytes) # first byte: spec (even: the ledger, odd: Tests/Fixtures/specs/byte-rows.yaml) and encoding
      printf '\000Boekdatum;Dagboek;Boekstuk;Regel;Grootboek;Kostenplaats;Gemeente;Project;Inzet;Categorie;Omschrijving;Bedrag\r\n01-03-2019;MEM;D1;1;4100;LB01;Assen;P001;basis;projecten;Opschoonactie 12;1.234,56\r\n02-03-2019;mem;D1;-2;4100;;GM0106;wk010601;Plus;;"Caf\351; regel 2";\200 12,50\r\n' > "$corpus/ledger"
      printf '\001N;D;Day;C;Up;Low;Word;T;M;P;Gone;H;F;G;W\n1;1.005;2019-01-01;ab;abc;ABC;ja;plain;een;AB12;x;secret;ja;GM0106;WK010601\n-10;-5;2019-6-5;E F;aBc dE;n.v.t.;;jan@example.nl;drie;A1;;;nee;gm1690;\n' > "$corpus/mixed" ;;
    yaml) cp SQL/feeds/*.yaml Tests/Fixtures/real/*.yaml "$corpus/" ;;
    sheet) (cd "$out" && rm -rf x && mkdir x && cd x && unzip -q -o "$root/Tests/Fixtures/real/leefbaarometer-2.0.xlsx" && cp xl/worksheets/*.xml xl/sharedStrings.xml xl/styles.xml "../corpus-$t/") ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
  echo "== fuzz $t: $runs runs"
  set +e
  jobs=()
  [ "${FUZZ_JOBS:-1}" -gt 1 ] && jobs=(-fork="$FUZZ_JOBS" -ignore_crashes=0 -ignore_timeouts=0 -ignore_ooms=0)
  SWIFT_BACKTRACE=enable=no LEEFBAAR_FUZZ_TARGET="$t" "$binary" "${jobs[@]}" -runs="$runs" -timeout="${FUZZ_TIMEOUT:-1}" -report_slow_units=1 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$t/" "$corpus" "Fuzz/corpus/$t" > "$out/fuzz-$t.log" 2>&1
  rc=$?
  set -e
  grep -E '^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|Slowest unit|.*Test unit written|INFO: fuzzed for|INFO: exiting)' "$out/fuzz-$t.log" || true
  [ "${FUZZ_JOBS:-1}" -gt 1 ] && { grep -E '^#[0-9]+: .*oom/timeout/crash' "$out/fuzz-$t.log" | tail -1 || true; }
  [ "$rc" -eq 0 ] || { echo "fuzz $t: exit $rc (see $out/fuzz-$t.log)"; status=1; }
done
exit "$status"
