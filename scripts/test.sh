#!/usr/bin/env bash
# Quick start (b): install the test (training, Ray and de-identification) dependencies into ./.venv and run the whole suite:
# lint (ruff), types (mypy --strict on src/), then pytest. Extra arguments go to pytest.
source "$(dirname "$0")/_venv.sh"
ensure_venv "test,train,ray,deid"
ensure_chromium
ensure_postgresql
cd "$ROOT"
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/ruff format --check src tests benchmarks scripts
.venv/bin/mypy
.venv/bin/pytest "$@"
