#!/usr/bin/env bash
# Quick start (a): install edgewise into ./.venv, then analyse the bundled example session:
# a summary in the terminal, the analysis as JSON and a self-contained HTML report in out/.
source "$(dirname "$0")/_venv.sh"
ensure_venv ""
cd "$ROOT"
mkdir -p out
.venv/bin/edgewise analyze examples/session-names-only.txt --report out/report.html
.venv/bin/edgewise analyze examples/session-names-only.txt --out out/analysis.jsonl
echo "report written to out/report.html (open it in a browser); analysis in out/analysis.jsonl"
