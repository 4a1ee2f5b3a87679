# Sourced by the other scripts: make ./.venv with Python >= 3.11 and install edgewise into it.
# Usage: ensure_venv EXTRAS   (EXTRAS like "" or "test,train")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

_python() {
  for py in python3.11 python3.12 python3.13 python3; do
    if command -v "$py" >/dev/null 2>&1 &&
       "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "edgewise needs Python >= 3.11 (python3.11 not found)" >&2
  return 1
}

_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The browser tests drive Debian's chromium through Playwright (never `playwright install`).
ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    _as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq chromium >/dev/null
  fi
}

# The storage tests start a real PostgreSQL server from Debian's package (initdb, pg_ctl).
ensure_postgresql() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null 2>&1; then
    _as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq postgresql >/dev/null
  fi
}

ensure_venv() {
  local extras="${1:-}" py
  py="$(_python)"
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$py" -m venv "$VENV" 2>/dev/null; then
      # Debian ships venv support separately (python3.11-venv).
      rm -rf "$VENV"
      _as_root apt-get update -qq
      _as_root apt-get install -y -qq "python3-venv" >/dev/null
      "$py" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --upgrade pip
  fi
  local target="$ROOT"
  [ -n "$extras" ] && target="$ROOT[$extras]"
  "$VENV/bin/python" -m pip install -q -e "$target"
}
