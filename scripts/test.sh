#!/usr/bin/env bash
# Runs every test: unit tests, the agent in real JVMs on JDK 17 and Temurin 25, the collector as a
# real process, and the end-to-end suite with Prometheus and Alertmanager.
set -euo pipefail
cd "$(dirname "$0")/.."
jdk25="${VIGIL_JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
exec mvn -B -ntp verify -Dvigil.jdk25.home="$jdk25" "$@"
