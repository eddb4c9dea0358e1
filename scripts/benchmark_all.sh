#!/bin/bash
# The configurations of docs/benchmarks.md, one after the other; one result file each
# in $OUT (default /tmp/bench). Needs the two PostgreSQL databases that
# docs/benchmarks.md shows how to make (bench_1000, bench_100000).
cd "$(dirname "$0")/.."
export DJANGO_SECRET_KEY=benchmark-only REDIS_URL=redis://127.0.0.1:6379/0
OUT=${OUT:-/tmp/bench}
mkdir -p "$OUT"
B=".venv/bin/python scripts/benchmark.py --runs 3 --duration 3 --workers 2"
PG=postgres://postgres@127.0.0.1:5432
for n in 1000 100000; do psql -U postgres -h 127.0.0.1 -d bench_$n -qc "VACUUM ANALYZE"; done
redis-cli -n 0 flushdb >/dev/null
echo "start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
DATABASE_URL=$PG/bench_1000 $B --connections 32 > "$OUT/cached-1k-32.txt" 2>&1
echo "cached done $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
DATABASE_URL=$PG/bench_100000 $B --uncached --connections 8 \
  --stream-url "/activities/?format=csv" > "$OUT/uncached-100k-8.txt" 2>&1
echo "ALL DONE $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
