#!/usr/bin/env bash
# Regenerates docs/schema.md from a freshly migrated scratch database on the local cluster.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/pg-local.sh start >/dev/null
admin="$(scripts/pg-local.sh url)"
scratch="leefbaar_schema_doc"
psql "$admin" -qc "drop database if exists $scratch" 2>/dev/null
psql "$admin" -qc "create database $scratch"
trap 'psql "$admin" -qc "drop database if exists $scratch"' EXIT
url="${admin/dbname=leefbaar/dbname=$scratch}"
.build/debug/leefbaar-etl migrate --database-url "$url" >/dev/null
.build/debug/leefbaar-report schema-doc --database-url "$url" --out docs/schema.md
