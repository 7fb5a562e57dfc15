#!/usr/bin/env bash
# Cost of the agent's exporter when the collector is down, as application throughput.
#
# Runs the sample service (integration-tests/apps/sample-service, JDK HttpServer) under wrk in four
# modes, interleaved round by round so drift on a shared machine hits every mode alike:
#   baseline   no agent
#   up         agent exporting to a stub collector that answers 200
#   down       agent exporting to a port where nothing listens (connection refused)
#   blackhole  agent exporting to a stub that accepts connections and never answers
# Each mode gets a fresh JVM per round: warm-up, then a measured wrk run on GET /hello. Prints the
# median requests/s per mode, its ratio to the baseline and to "up", and what the agent reported
# (spans exported/dropped, lost, disk buffer) at the end of each measured run.
#
# Usage: benchmarks/export-outage.sh [rounds=3] [seconds=20] [warmup seconds=8]
# Needs: agent/target/vigil-agent.jar and the sample service jar (built here if missing), wrk
# (benchmarks/install-bench-deps.sh installs it). Loopback only; everything started is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-20}
WARMUP=${3:-8}
CONNECTIONS=${VIGIL_BENCH_CONNECTIONS:-16}
JAVA=${JAVA:-java}
MODES=(baseline up down blackhole)

bash benchmarks/install-bench-deps.sh
# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh
AGENT="$ROOT/agent/target/vigil-agent.jar"
APP="$ROOT/integration-tests/apps/sample-service/target/sample-service.jar"
if [ ! -f "$AGENT" ] || [ ! -f "$APP" ]; then
  echo "building the agent and the sample service"
  flock /tmp/vigil-build.lock mvn -q -B package -DskipTests -Dspotless.check.skip=true \
    -pl agent,integration-tests/apps/sample-service -am
fi

start_work_dir vigil-export-outage

pin_cpus

run_mode() { # mode round
  local mode=$1 round=$2
  local app_port collector_port metrics_port stub_pid="" app_pid log="$WORK/$mode-$round.log"
  app_port=$(free_port)
  collector_port=$(free_port)
  metrics_port=$(free_port)
  local agent_args=()
  if [ "$mode" != baseline ]; then
    agent_args=("-javaagent:$AGENT=collector.endpoint=http://127.0.0.1:$collector_port,metrics.port=$metrics_port,metrics.host=127.0.0.1,service.name=bench-$mode,collector.buffer.directory=$WORK/buffer-$mode-$round")
  fi
  if [ "$mode" = up ] || [ "$mode" = blackhole ]; then
    "${LOAD_CPU[@]}" "$JAVA" "$ROOT/benchmarks/export-outage/StubCollector.java" "$mode" "$collector_port" \
      >"$WORK/stub-$mode-$round.log" 2>&1 &
    stub_pid=$!
    PIDS+=("$stub_pid")
    wait_for_line "$WORK/stub-$mode-$round.log" READY 60
  fi
  "${APP_CPU[@]}" "$JAVA" -Xms256m -Xmx256m -Dsun.net.httpserver.nodelay=true "${agent_args[@]}" -jar "$APP" "$app_port" >"$log" 2>&1 &
  app_pid=$!
  PIDS+=("$app_pid")
  wait_for_line "$log" READY 60
  "${LOAD_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$app_port/hello" >/dev/null
  local out
  out=$("${LOAD_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" "http://127.0.0.1:$app_port/hello")
  local rps
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx|Socket errors/ { $1=$1; printf "%s; ", $0 }' <<<"$out")
  local agent_report=""
  if [ "$mode" != baseline ]; then
    local m
    m=$(curl -s "http://127.0.0.1:$metrics_port/metrics" || true)
    agent_report="exported=$(metric "$m" vigil_agent_spans_exported_total) span_queue_dropped=$(metric "$m" vigil_agent_spans_dropped_total)"
    agent_report+=" sent=$(metric "$m" 'vigil_agent_export_sent_total{signal="traces"}') lost=$(metric "$m" 'vigil_agent_export_lost_total{signal="traces"}')"
    agent_report+=" disk_bytes=$(metric "$m" 'vigil_agent_export_buffer_bytes{location="disk"}') circuit_open=$(metric "$m" 'vigil_agent_export_circuit_state{state="open"}')"
  fi
  stop "$app_pid"
  [ -n "$stub_pid" ] && stop "$stub_pid"
  echo "$mode round=$round rps=$rps ${errors}${agent_report}" | tee -a "$WORK/runs.txt" >&2
  echo "$mode $rps" >>"$WORK/results.txt"
}

machine_line "$JAVA"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); rounds=$ROUNDS, ${SECONDS_PER_RUN}s measured after ${WARMUP}s warm-up, wrk -t1 -c$CONNECTIONS GET /hello"
for round in $(seq 1 "$ROUNDS"); do
  for mode in "${MODES[@]}"; do
    run_mode "$mode" "$round"
  done
done

declare -A MED
for mode in "${MODES[@]}"; do
  MED[$mode]=$(awk -v m="$mode" '$1 == m { print $2 }' "$WORK/results.txt" | median)
done
echo
echo "| mode | median requests/s | vs no agent | vs collector up |"
echo "|---|---|---|---|"
for mode in "${MODES[@]}"; do
  awk -v m="$mode" -v r="${MED[$mode]}" -v b="${MED[baseline]}" -v u="${MED[up]}" \
    'BEGIN { printf "| %s | %.0f | %.2f | %s |\n", m, r, r / b, (m == "baseline" ? "—" : sprintf("%.2f", r / u)) }'
done
