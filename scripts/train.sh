#!/usr/bin/env bash
# Retrain coder v1 from AnnoMI (default ../shared/datasets/annomi) and rewrite the shipped model.
source "$(dirname "$0")/_venv.sh"
ensure_venv "train"
cd "$ROOT"
.venv/bin/python -m edgewise.training.coder_v1 "$@"
