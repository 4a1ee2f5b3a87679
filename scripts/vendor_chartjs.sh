#!/usr/bin/env bash
# Re-vendor Chart.js for the HTML report (edgewise analyze --report): fetch chart.js with
# `npm pack` (needs npm and the network) and copy its minified UMD build and its licence into
# src/edgewise/report/static/. Usage: scripts/vendor_chartjs.sh [VERSION]   (default 4.5.1)
set -euo pipefail
VERSION="${1:-4.5.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/edgewise/report/static"
command -v npm >/dev/null 2>&1 || { echo "npm is needed (e.g. apt-get install npm)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "chart.js@$VERSION" >/dev/null)
tar -xzf "$TMP/chart.js-$VERSION.tgz" -C "$TMP"
cp "$TMP/package/dist/chart.umd.min.js" "$DEST/chart.umd.min.js"
cp "$TMP/package/LICENSE.md" "$DEST/chart.js-LICENSE.md"
head -c 120 "$DEST/chart.umd.min.js" | grep -q "Chart.js v$VERSION" ||
  { echo "unexpected header in chart.umd.min.js" >&2; exit 1; }
echo "vendored Chart.js $VERSION into ${DEST#"$ROOT"/}"
