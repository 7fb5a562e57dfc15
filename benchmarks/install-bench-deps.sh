#!/usr/bin/env bash
# Installs what the whole-process benchmarks need beyond the JDK and Maven: wrk (Debian package).
# Idempotent; needs root (or sudo) and apt.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  echo "install-bench-deps: wrk already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
echo "install-bench-deps: done ($(wrk --version 2>&1 | head -1))"
