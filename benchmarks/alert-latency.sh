#!/usr/bin/env bash
# Time from the first failing request to the webhook delivery (issue 6), whole process: the real
# collector jar with a generic webhook receiver, and the sample service with the real agent.
#
# Per round, fresh processes and a fresh collector data dir:
#   1. a stub webhook receiver (benchmarks/alert-latency/WebhookReceiver.java) that prints the
#      arrival time (epoch ms) of every notification;
#   2. the collector, with only this script's rules: HighErrorRatio (error_ratio over 1m, threshold
#      5%, `for` FOR_ERROR_RATIO) and NewErrorGroup (new_error_group, `for` 0s), in one group evaluated
#      every EVAL_INTERVAL, routed to the receiver with group_wait GROUP_WAIT;
#   3. the sample service (integration-tests/apps/sample-service) with the agent, pushing metrics
#      every METRICS_EXPORT_INTERVAL and spans every TRACES_EXPORT_INTERVAL;
#   4. healthy traffic (GET /hello, 5/s) for a warm-up plus a random 0-15 s, so that T0 falls at a
#      different phase of the agent's export and the collector's evaluation schedules each round;
#   5. at T0 (the first failing request, epoch ms), failing traffic (GET /fail, which throws:
#      20/s, so 5% of the 1m window is crossed within about a second) until HighErrorRatio's firing
#      notification arrives; then the failures stop (T1, the last failing request) and the script
#      waits for its resolve notification.
# Measured: firing arrival - T0 for HighErrorRatio and NewErrorGroup, resolve arrival - T1 for
# HighErrorRatio, and from the collector's alert history (/api/alerts/history) where the firing time
# went: T0 -> pending (export, ingest, waiting for an evaluation), pending -> firing (`for`, counted
# in evaluations), firing -> notified (grouping), notified -> arrival (outbox, HTTP).
# Prints one line per round and a table of medians.
#
# Usage: benchmarks/alert-latency.sh [rounds=5] [warm-up seconds=30]
# Run it under the build lock: flock /tmp/vigil-build.lock benchmarks/alert-latency.sh 5 30
# Needs: collector/target/vigil-collector.jar, agent/target/vigil-agent.jar and the sample service jar
# (mvn -o -q package -DskipTests -pl agent,collector,integration-tests/apps/sample-service -am), jq.
# Loopback only; everything started is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-5}
WARMUP=${2:-30}
JAVA=${JAVA:-java}

# The settings the latency is made of, all explicit (defaults of the agent and collector noted).
METRICS_EXPORT_INTERVAL=15s # agent vigil.metrics.otlp.interval (default 15s): HighErrorRatio's input
TRACES_EXPORT_INTERVAL=2s   # agent vigil.traces.export.interval (default 2s): error groups' input
EVAL_INTERVAL=10s           # the rule group's interval (collector default 30s)
FOR_ERROR_RATIO=30s         # HighErrorRatio's `for` (shipped rule: 2m)
GROUP_WAIT=0s               # route group_wait (default 30s): adds exactly this to every first notification
GROUP_INTERVAL=10s          # route group_interval (default 5m): a resolve waits for the group's next flush
HEALTHY_RATE=5              # GET /hello per second
FAILING_RATE=20             # GET /fail per second

# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh
AGENT="$ROOT/agent/target/vigil-agent.jar"
COLLECTOR="$ROOT/collector/target/vigil-collector.jar"
APP="$ROOT/integration-tests/apps/sample-service/target/sample-service.jar"
for jar in "$AGENT" "$COLLECTOR" "$APP"; do
  if [ ! -f "$jar" ]; then
    # Not built here: this script runs under the build lock, where a nested flock would deadlock.
    echo "missing $jar; build first: flock /tmp/vigil-build.lock mvn -o -q package -DskipTests" \
      "-pl agent,collector,integration-tests/apps/sample-service -am" >&2
    exit 1
  fi
done
command -v jq >/dev/null || { echo "jq is needed (apt-get install jq)" >&2; exit 1; }

start_work_dir vigil-alert-latency

TOKEN=bench-ingest-token-0123456789
API_TOKEN=bench-api-token-0123456789

write_rules() { # dir
  mkdir -p "$1"
  cat >"$1/alert-latency.yaml" <<YAML
groups:
  - name: alert-latency
    interval: $EVAL_INTERVAL
    rules:
      - alert: HighErrorRatio
        kind: error_ratio
        window: 1m
        threshold: 0.05
        min_requests: 20
        by: [service]
        for: $FOR_ERROR_RATIO
        labels:
          severity: page
        annotations:
          summary: "{{service}}: {{value_percent}} of requests fail"
      - alert: NewErrorGroup
        kind: new_error_group
        window: 15m
        labels:
          severity: ticket
        annotations:
          summary: "{{service}}: new error {{error_group.type}}"
YAML
}

write_config() { # file dir otlp_port api_port receiver_port
  cat >"$1" <<YAML
data_dir: $2/data
otlp:
  host: 127.0.0.1
  port: $3
  tokens: [$TOKEN]
http:
  host: 127.0.0.1
  port: $4
  api_tokens: [$API_TOKEN]
rules:
  dir: $2/rules
  runbooks_dir: $ROOT/runbook-templates
  evaluation_interval: $EVAL_INTERVAL
notifications:
  receivers:
    - name: bench-hook
      type: webhook
      url: http://127.0.0.1:$5/alerts
  route:
    receiver: bench-hook
    group_by: [alertname, service]
    group_wait: $GROUP_WAIT
    group_interval: $GROUP_INTERVAL
    repeat_interval: 1h
YAML
}

wait_for_http() { # url seconds log
  local i=0
  until curl -sf -o /dev/null "$1"; do
    i=$((i + 1))
    if [ "$i" -gt $(($2 * 10)) ]; then
      echo "timed out waiting for $1" >&2
      tail -20 "$3" >&2
      return 1
    fi
    sleep 0.1
  done
}

diff_ms() { # later earlier: later - earlier, or "none" when either is unknown
  if [ -n "$1" ] && [ -n "$2" ]; then echo $(($1 - $2)); else echo none; fi
}

first_field() { # file pattern field: field N of the first line matching pattern
  awk -v p="$2" -v f="$3" '$0 ~ p { print $f; exit }' "$1"
}

# Epoch ms of the first history event of one alert rule at or after a time; empty if none.
history_ms() { # history.json alertname event after_ms
  jq -r --arg name "$2" --arg event "$3" --argjson after "$4" '
    def ms: if type == "number" then (. * 1000 | floor)
      else capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$")
        | ((.s + "Z") | fromdateiso8601) * 1000 + (((.f // "") + "000")[0:3] | tonumber) end;
    [.[] | select(.alertname == $name and .event == $event) | (.at | ms) | select(. >= $after)]
      | min // empty' "$1"
}

run_round() { # round
  local r=$1
  local dir="$WORK/round-$r"
  local otlp_port api_port receiver_port app_port metrics_port
  otlp_port=$(free_port)
  api_port=$(free_port)
  receiver_port=$(free_port)
  app_port=$(free_port)
  metrics_port=$(free_port)
  mkdir -p "$dir"
  write_rules "$dir/rules"
  write_config "$dir/collector.yaml" "$dir" "$otlp_port" "$api_port" "$receiver_port"
  local api="http://127.0.0.1:$api_port"

  "$JAVA" "$ROOT/benchmarks/alert-latency/WebhookReceiver.java" "$receiver_port" >"$dir/receiver.log" 2>&1 &
  local receiver_pid=$!
  PIDS+=("$receiver_pid")
  "$JAVA" -Xmx512m -jar "$COLLECTOR" --config "$dir/collector.yaml" >"$dir/collector.log" 2>&1 &
  local collector_pid=$!
  PIDS+=("$collector_pid")
  wait_for_line "$dir/receiver.log" READY 60
  wait_for_http "$api/readyz" 90 "$dir/collector.log"

  local agent="-javaagent:$AGENT=collector.endpoint=http://127.0.0.1:$otlp_port,collector.token=$TOKEN"
  agent+=",service.name=alert-latency,metrics.host=127.0.0.1,metrics.port=$metrics_port"
  agent+=",metrics.otlp.interval=$METRICS_EXPORT_INTERVAL,traces.export.interval=$TRACES_EXPORT_INTERVAL"
  agent+=",collector.buffer.directory=$dir/buffer"
  "$JAVA" -Xmx256m "$agent" -jar "$APP" "$app_port" >"$dir/app.log" 2>&1 &
  local app_pid=$!
  PIDS+=("$app_pid")
  wait_for_line "$dir/app.log" READY 60

  "$JAVA" "$ROOT/benchmarks/alert-latency/SteadyLoad.java" "http://127.0.0.1:$app_port/hello" "$HEALTHY_RATE" \
    >"$dir/healthy.log" 2>&1 &
  local healthy_pid=$!
  PIDS+=("$healthy_pid")
  wait_for_line "$dir/healthy.log" FIRST 60
  sleep $((WARMUP + RANDOM % 16))

  "$JAVA" "$ROOT/benchmarks/alert-latency/SteadyLoad.java" "http://127.0.0.1:$app_port/fail" "$FAILING_RATE" \
    >"$dir/failing.log" 2>&1 &
  local failing_pid=$!
  PIDS+=("$failing_pid")
  wait_for_line "$dir/failing.log" FIRST 60
  local t0
  t0=$(first_field "$dir/failing.log" '^FIRST ' 2)
  wait_for_line "$dir/receiver.log" ' firing HighErrorRatio$' 240
  # NewErrorGroup normally arrived long before; a bounded wait in case it did not.
  wait_for_line "$dir/receiver.log" ' firing NewErrorGroup$' 60 || true

  stop "$failing_pid"
  wait_for_line "$dir/failing.log" '^LAST ' 10
  local t1
  t1=$(first_field "$dir/failing.log" '^LAST ' 2)
  wait_for_line "$dir/receiver.log" ' resolved HighErrorRatio$' 300

  curl -sf -H "Authorization: Bearer $API_TOKEN" "$api/api/alerts/history?limit=10000" >"$dir/history.json"
  local fire new resolve pending firing notified resolved resolve_notified
  fire=$(first_field "$dir/receiver.log" ' firing HighErrorRatio$' 1)
  new=$(first_field "$dir/receiver.log" ' firing NewErrorGroup$' 1)
  resolve=$(first_field "$dir/receiver.log" ' resolved HighErrorRatio$' 1)
  pending=$(history_ms "$dir/history.json" HighErrorRatio pending "$t0")
  firing=$(history_ms "$dir/history.json" HighErrorRatio firing "$t0")
  notified=$(history_ms "$dir/history.json" HighErrorRatio notified "$firing")
  resolved=$(history_ms "$dir/history.json" HighErrorRatio resolved "$t0")
  resolve_notified=$(history_ms "$dir/history.json" HighErrorRatio notified "$resolved")

  local line="round=$r fire_ms=$(diff_ms "$fire" "$t0") t0_to_pending_ms=$(diff_ms "$pending" "$t0")"
  line+=" pending_to_firing_ms=$(diff_ms "$firing" "$pending") firing_to_notified_ms=$(diff_ms "$notified" "$firing")"
  line+=" notified_to_arrival_ms=$(diff_ms "$fire" "$notified") new_group_ms=$(diff_ms "$new" "$t0")"
  line+=" resolve_ms=$(diff_ms "$resolve" "$t1") t1_to_resolved_ms=$(diff_ms "$resolved" "$t1")"
  line+=" resolved_to_notified_ms=$(diff_ms "$resolve_notified" "$resolved")"
  line+=" resolve_notified_to_arrival_ms=$(diff_ms "$resolve" "$resolve_notified")"
  line+=" failing_load: $(first_field "$dir/failing.log" '^LAST ' 3) $(first_field "$dir/failing.log" '^LAST ' 6)"
  echo "$line" | tee -a "$WORK/runs.txt" >&2

  stop "$healthy_pid"
  stop "$app_pid"
  stop "$collector_pid"
  stop "$receiver_pid"
}

machine_line "$JAVA"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); rounds=$ROUNDS, warm-up ${WARMUP}s + 0-15 s;" \
  "metrics export $METRICS_EXPORT_INTERVAL, span export $TRACES_EXPORT_INTERVAL, evaluation $EVAL_INTERVAL," \
  "HighErrorRatio for $FOR_ERROR_RATIO, group_wait $GROUP_WAIT, group_interval $GROUP_INTERVAL;" \
  "healthy $HEALTHY_RATE/s, failing $FAILING_RATE/s"
for round in $(seq 1 "$ROUNDS"); do
  run_round "$round"
done

med() { # field name: the median of its numeric values over the rounds, or "none"
  local values
  values=$(sed -n "s/.* $1=\(-\{0,1\}[0-9][0-9]*\) .*/\1/p" "$WORK/runs.txt")
  if [ -n "$values" ]; then median <<<"$values"; else echo none; fi
}
echo
echo "| measure | median ms | per round |"
echo "|---|---|---|"
for f in fire_ms t0_to_pending_ms pending_to_firing_ms firing_to_notified_ms notified_to_arrival_ms \
  new_group_ms resolve_ms t1_to_resolved_ms resolved_to_notified_ms resolve_notified_to_arrival_ms; do
  echo "| $f | $(med "$f") | $(sed -n "s/.* $f=\([0-9a-z-]*\).*/\1/p" "$WORK/runs.txt" | paste -sd' ') |"
done
