#!/bin/bash
# Every configuration of docs/benchmarks.md, SQLite then PostgreSQL, one after the
# other; one result file each in $OUT (default /tmp/bench). Needs the four datasets
# that docs/benchmarks.md shows how to make.
cd "$(dirname "$0")/.."
export DJANGO_SECRET_KEY=benchmark-only
mkdir -p "${OUT:-/tmp/bench}"
B=".venv/bin/python scripts/benchmark.py --runs 3 --duration 3"
for n in 1000 100000; do psql -U postgres -h 127.0.0.1 -d bench_$n -qc "VACUUM ANALYZE"; done
for backend in sqlite postgres; do
  if [ $backend = sqlite ]; then small=sqlite:////tmp/bench-1000.sqlite3; big=sqlite:////tmp/bench-100000.sqlite3
  else small=postgres://postgres@127.0.0.1:5432/bench_1000; big=postgres://postgres@127.0.0.1:5432/bench_100000; fi
  echo "== $backend start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  redis-cli -n 0 flushdb >/dev/null
  DATABASE_URL=$small REDIS_URL=redis://127.0.0.1:6379/0 $B --connections 32 > ${OUT:-/tmp/bench}/$backend-cached-1k-32.txt 2>&1
  echo "cached done $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  DATABASE_URL=$small $B --uncached --connections 32 > ${OUT:-/tmp/bench}/$backend-uncached-1k-32.txt 2>&1
  echo "uncached 1k/32 done $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  DATABASE_URL=$small $B --uncached --connections 8 > ${OUT:-/tmp/bench}/$backend-uncached-1k-8.txt 2>&1
  echo "uncached 1k/8 done $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  DATABASE_URL=$big $B --uncached --connections 8 --stream-url "/activities/?format=csv" > ${OUT:-/tmp/bench}/$backend-uncached-100k-8.txt 2>&1
  echo "uncached 100k/8 done $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo ALL DONE $(date -u +%H:%M:%S)
