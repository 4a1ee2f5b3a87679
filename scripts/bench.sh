#!/usr/bin/env bash
# Run every benchmark in benchmarks/ and print their figures.
source "$(dirname "$0")/_venv.sh"
ensure_venv "test,train"
cd "$ROOT"
for b in benchmarks/bench_*.py; do
  echo "== $b"
  .venv/bin/python "$b"
done
echo "== benchmarks/validity.py"
.venv/bin/python benchmarks/validity.py
