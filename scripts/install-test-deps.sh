#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDKs and Maven: Prometheus (promtool) and
# Alertmanager (amtool) from Debian packages. Idempotent; needs root (or sudo) and apt.
set -euo pipefail

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || command -v alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)

if [ ${#need[@]} -eq 0 ]; then
  echo "install-test-deps: prometheus and alertmanager already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The Debian packages start the daemons as services where systemd runs; tests start their own copies.
for svc in prometheus prometheus-alertmanager prometheus-node-exporter; do
  $SUDO systemctl stop "$svc" >/dev/null 2>&1 || true
  $SUDO systemctl disable "$svc" >/dev/null 2>&1 || true
done
# Without systemd (containers) the postinst may have launched them directly: stop those too.
pkill -x prometheus >/dev/null 2>&1 || true
pkill -f '^/usr/bin/prometheus-alertmanager' >/dev/null 2>&1 || true
pkill -x prometheus-node-exporter >/dev/null 2>&1 || true
echo "install-test-deps: done ($(promtool --version 2>&1 | head -1))"
