#!/usr/bin/env bash
# Prints reports as their readers do (headless Chromium, A4, to PDF) and checks with pdftotext that
# every column heading of the table is on paper. Needs chromium and poppler-utils, and a loaded
# warehouse (make demo). Usage: scripts/print-check.sh [REPORT ...]   (default: leefbaarometer activiteiten)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
reports=("$@"); [ ${#reports[@]} -gt 0 ] || reports=(leefbaarometer activiteiten)
url="${DATABASE_URL:-$(scripts/pg-local.sh url)}"
report="${BIN:-.build/debug}/leefbaar-report"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
status=0
for r in "${reports[@]}"; do
  "$report" run "$r" --year 2019 --format html --database-url "$url" > "$work/$r.html"
  "$report" run "$r" --year 2019 --format json --database-url "$url" > "$work/$r.json"
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$work/$r.pdf" "file://$work/$r.html" 2>/dev/null
  pdftotext "$work/$r.pdf" - | tr -s ' \n' '  ' > "$work/$r.txt"
  pages=$(pdfinfo "$work/$r.pdf" | awk '/^Pages:/ { print $2 }')
  missing=$(python3 - "$work/$r.json" "$work/$r.txt" <<'PY'
import json, sys
labels = [c["label"] for c in json.load(open(sys.argv[1]))["columns"]]
text = open(sys.argv[2]).read()
print("; ".join(l for l in labels if l not in text))
PY
)
  if [ -n "$missing" ]; then echo "$r: $pages pages, MISSING on paper: $missing"; status=1
  else echo "$r: $pages pages, every column heading on paper ($(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['columns']))" "$work/$r.json") columns)"; fi
done
exit $status
