#!/usr/bin/env bash
# Collector ingest throughput: the collector jar as a process, fed by IngestLoadDriver with
# realistic gzipped protobuf batches (512 spans of 15 attributes, 2% with an exception; or 512 log
# records, 5% errors) from a few connections, as fast as it answers. Prints accepted items per
# second per signal (median of the rounds) and the collector's heap after each run.
#
# Usage: benchmarks/collector-ingest.sh [rounds=3] [seconds=20] [warmup seconds=10] [connections=4]
# Needs: collector/target/vigil-collector.jar and benchmarks/target/benchmarks.jar (built here if
# missing). Loopback only; everything started is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-20}
WARMUP=${3:-10}
CONNECTIONS=${4:-4}
JAVA=${JAVA:-java}
HEAP=${VIGIL_BENCH_COLLECTOR_HEAP:-512m}
# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh

if [ ! -f collector/target/vigil-collector.jar ] || [ ! -f benchmarks/target/benchmarks.jar ]; then
  mvn -q -B package -DskipTests -pl collector,benchmarks -am
fi
WORK=$(mktemp -d)
COLLECTOR_PID=""
cleanup() {
  if [ -n "$COLLECTOR_PID" ]; then stop "$COLLECTOR_PID"; fi
  rm -rf "$WORK" "$GIVEN_PORTS_FILE"
}
trap cleanup EXIT

TOKEN=bench-ingest-token-0123456789
OTLP=$(free_port)
API=$(free_port)
cat >"$WORK/collector.yaml" <<YAML
data_dir: $WORK/data
otlp:
  host: 127.0.0.1
  port: $OTLP
  tokens: [$TOKEN]
http:
  host: 127.0.0.1
  port: $API
  allow_unauthenticated: true
log:
  level: warn
YAML
"$JAVA" -Xmx"$HEAP" -jar collector/target/vigil-collector.jar --config "$WORK/collector.yaml" >"$WORK/collector.log" 2>&1 &
COLLECTOR_PID=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$API/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$API/readyz" >/dev/null

driver() { # signal seconds
  "$JAVA" -cp benchmarks/target/benchmarks.jar dev.vigil.bench.collector.IngestLoadDriver \
    "http://127.0.0.1:$OTLP" "$TOKEN" "$1" "$2" "$CONNECTIONS"
}
heap_mib() { # heap in use right after the run (all pools), MiB
  curl -s "http://127.0.0.1:$API/metrics" | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 { s += $NF } END { printf "%.0f", s / 1048576 }'
}
rss_mib() { # resident set size of the collector process, MiB
  awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$COLLECTOR_PID/status"
}

echo "warm-up: ${WARMUP}s per signal"
driver traces "$WARMUP" >/dev/null
driver logs "$WARMUP" >/dev/null
declare -A RESULTS
for round in $(seq 1 "$ROUNDS"); do
  for signal in traces logs; do
    line=$(driver "$signal" "$SECONDS_PER_RUN")
    rate=$(sed -E 's/.*items_per_second=([0-9]+).*/\1/' <<<"$line")
    RESULTS[$signal]+="$rate "
    echo "round $round: $line heap_used_mib=$(heap_mib) rss_mib=$(rss_mib)"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median spans/s: $(median "${RESULTS[traces]}")"
echo "median log records/s: $(median "${RESULTS[logs]}")"
echo "error groups: $(curl -s "http://127.0.0.1:$API/api/errors" | grep -o '"id"' | wc -l), collector heap max: $HEAP"
grep -E 'ERROR|WARN' "$WORK/collector.log" | head -5 || true
