#!/usr/bin/env bash
# Quick start (a): install edgewise into ./.venv and code the bundled example transcript.
source "$(dirname "$0")/_venv.sh"
ensure_venv ""
cd "$ROOT"
mkdir -p out
.venv/bin/edgewise read examples/session-names-only.txt
.venv/bin/edgewise code examples/session-names-only.txt --format table
.venv/bin/edgewise code examples/session-names-only.txt --out out/session-names-only.jsonl
echo "coded utterances written to out/session-names-only.jsonl"
