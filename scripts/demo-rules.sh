#!/usr/bin/env bash
# Writes the shipped alert rules (alert-rules/*.yaml) into <out-dir> with demo-sized windows, so a
# failure fires and resolves within a minute or two instead of ten: windows of 5m become 1m,
# 10m and 15m become 2m, 1h becomes 5m, every `for` and `keep_firing_for` of minutes becomes 20s. Thresholds, expressions,
# labels and runbooks stay the shipped ones. Used by scripts/demo.sh and the end-to-end test.
# Usage: scripts/demo-rules.sh <out-dir>
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 <out-dir>" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
for f in "$root"/alert-rules/*.yaml; do
  sed -E -e 's/^( *window:) *5m/\1 1m/' -e 's/^( *window:) *1h/\1 5m/' -e 's/^( *window:) *1[05]m/\1 2m/' \
    -e 's/^( *for:) *[0-9]+m/\1 20s/' -e 's/^( *keep_firing_for:) *[0-9]+m/\1 20s/' \
    "$f" >"$1/$(basename "$f")"
done
