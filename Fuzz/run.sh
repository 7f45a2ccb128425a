#!/usr/bin/env bash
# make fuzz: builds a libFuzzer target per parser (swiftc -sanitize=fuzzer,address over the
# DB-free input sources) and runs each for RUNS executions (default 10,000,000), seeded from the
# test fixtures and Fuzz/corpus/<target>. Any crash, leak or slow input (> 1 s) fails the run.
# Usage: Fuzz/run.sh [RUNS] [TARGET...]   (targets: csv values sheet json)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-10000000}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(csv values sheet json)
out=".build-fuzz"
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g)
swiftc "${flags[@]}" -emit-library -static -emit-module -module-name Postgres -o "$out/libPostgres.a" \
  -emit-module-path "$out/Postgres.swiftmodule" Sources/Postgres/CalendarDate.swift
input=(Sources/Warehouse/Input/CSVReader.swift Sources/Warehouse/Input/TextEncoding.swift Sources/Warehouse/Input/ExactDecimal.swift
       Sources/Warehouse/Input/DateFormat.swift Sources/Warehouse/Input/XMLScanner.swift Sources/Warehouse/Input/SheetXML.swift
       Sources/Warehouse/Input/JSONKeys.swift Sources/Warehouse/WarehouseError.swift Fuzz/FuzzPipe.swift)
for t in "${targets[@]}"; do
  swiftc "${flags[@]}" -module-name Fuzz -I "$out" -L "$out" -lPostgres "${input[@]}" "Fuzz/$t.swift" -o "$out/fuzz-$t"
  corpus="$out/corpus-$t"; mkdir -p "$corpus" "Fuzz/corpus/$t"
  case "$t" in
    csv) find Tests/Fixtures -name '*.csv' -size -64k -exec cp {} "$corpus/" \; ;;
    values) printf '1.234,56' > "$corpus/a"; printf -- '-6.2716917700698496E-2' > "$corpus/b"; printf '31-12-2019' > "$corpus/c"; printf '2019-03-14 00:00:00.000' > "$corpus/d" ;;
    json) find Tests/Fixtures -name '*.json' -size -64k -exec cp {} "$corpus/" \; ; printf '{"a":1,"a":2}' > "$corpus/dup" ;;
    sheet) (cd "$out" && rm -rf x && mkdir x && cd x && unzip -q -o "$root/Tests/Fixtures/real/leefbaarometer-2.0.xlsx" && cp xl/worksheets/*.xml xl/sharedStrings.xml xl/styles.xml "../corpus-$t/") ;;
  esac
  echo "== fuzz-$t: $runs runs"
  "$out/fuzz-$t" -runs="$runs" -timeout=1 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="Fuzz/corpus/$t/crash-" "$corpus" "Fuzz/corpus/$t" 2>&1 | tail -n 12
done
