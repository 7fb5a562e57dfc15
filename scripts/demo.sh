#!/usr/bin/env bash
# The Vigil demo, one command on a fresh clone: builds everything, starts the collector and a small
# "shop" service (plus its "payments" dependency) with the agent attached by the JVM flag only,
# drives traffic, then injects failures one after another and shows each alert firing and
# resolving with its runbook URL. If prometheus and prometheus-alertmanager are installed, they are
# started too, with the shipped config (collector/config/), and Alertmanager's deliveries are printed.
#
# Usage: scripts/demo.sh            run the scenarios, then keep everything up until Ctrl-C
#        scripts/demo.sh --once     run the scenarios and stop (used by CI to check the demo works)
#
# Everything runs on 127.0.0.1; files go to .demo/ in the repository (logs, data, JSON logs).
# Ctrl-C stops every process this script started.
#
# The demo's rules are the shipped alert-rules/*.yaml with windows shortened (5m -> 1m, for 2m ->
# 20s, ...) so that a scenario takes a minute or two instead of ten; thresholds and expressions are
# the shipped ones.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ONCE=false
[ "${1:-}" = "--once" ] && ONCE=true

DEMO="$ROOT/.demo"
COLLECTOR_API=http://127.0.0.1:9096
TOKEN=demo-ingest-token-5b1f0e
ADMIN=demo-admin-token-9c4d2a
SHOP=http://127.0.0.1:8080
PORTS=(4318 9096 8080 8081 9464 9465 9099)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

command -v java >/dev/null || die "java (17+) is needed"
command -v mvn >/dev/null || die "Maven is needed"
command -v curl >/dev/null || die "curl is needed"
for p in "${PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    die "port $p is in use; the demo needs ${PORTS[*]} (and 9090, 9093 when Prometheus runs)"
  fi
done

say "Building (mvn package, no tests)"
mvn -q -B -ntp package -DskipTests -Dspotless.check.skip=true \
  -pl agent,collector,integration-tests/apps/demo-shop -am
AGENT="$ROOT/agent/target/vigil-agent.jar"
COLLECTOR="$ROOT/collector/target/vigil-collector.jar"
APP="$ROOT/integration-tests/apps/demo-shop/target/demo-shop.jar"

rm -rf "$DEMO"
mkdir -p "$DEMO/rules" "$DEMO/logs"
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "demo: stopping everything it started"
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[$i]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # name command...: runs in the background, output to .demo/logs/<name>.log
  local name=$1
  shift
  "$@" >"$DEMO/logs/$name.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_${name//-/_}=$!"
}

wait_ready() { # name url [seconds]
  local i=0 limit=$((${3:-60} * 10))
  until curl -sf -o /dev/null "$2"; do
    i=$((i + 1))
    if [ "$i" -gt "$limit" ]; then
      tail -30 "$DEMO/logs/$1.log" >&2
      die "$1 did not become ready at $2"
    fi
    sleep 0.1
  done
}

# Shipped rules with demo-sized windows.
bash "$ROOT/scripts/demo-rules.sh" "$DEMO/rules"

PROMETHEUS=$(command -v prometheus || true)
ALERTMANAGER=$(command -v prometheus-alertmanager || command -v alertmanager || true)
AM_RECEIVER=""
if [ -n "$ALERTMANAGER" ]; then
  AM_RECEIVER="    - name: alertmanager
      type: alertmanager
      url: http://127.0.0.1:9093"
fi

cat >"$DEMO/collector.yaml" <<YAML
# Written by scripts/demo.sh. Reference: docs/configuration.md (the collector).
data_dir: $DEMO/data
otlp:
  host: 127.0.0.1
  tokens: [$TOKEN]
http:
  host: 127.0.0.1
  public_url: $COLLECTOR_API
  api_tokens: [$ADMIN-read]
  admin_tokens: [$ADMIN]
rules:
  dir: $DEMO/rules
  runbooks_dir: $ROOT/runbook-templates
  evaluation_interval: 5s
notifications:
  receivers:
    - name: console-webhook
      type: webhook
      url: http://127.0.0.1:9099/alerts
$AM_RECEIVER
  # Alertmanager receivers get every alert (Alertmanager routes on its own); the route is for the rest.
  route:
    receiver: console-webhook
    group_by: [alertname, service]
    group_wait: 5s
    group_interval: 30s
    repeat_interval: 1h
YAML

say "Starting the collector (OTLP on :4318, API and runbooks on :9096)"
start alert-sink java -jar "$APP" alert-sink 9099
start collector java -jar "$COLLECTOR" --config "$DEMO/collector.yaml"
wait_ready collector "$COLLECTOR_API/readyz" 90

if [ -n "$PROMETHEUS" ] && [ -n "$ALERTMANAGER" ]; then
  say "Starting Prometheus (:9090) and Alertmanager (:9093) with collector/config/"
  cp "$ROOT/collector/config/prometheus.yml" "$ROOT/collector/config/prometheus-rules.yml" "$DEMO/"
  start alertmanager "$ALERTMANAGER" --config.file="$ROOT/collector/config/alertmanager.yml" \
    --storage.path="$DEMO/alertmanager" --web.listen-address=127.0.0.1:9093 --cluster.listen-address=
  start prometheus "$PROMETHEUS" --config.file="$DEMO/prometheus.yml" --storage.tsdb.path="$DEMO/prometheus" \
    --web.listen-address=127.0.0.1:9090
else
  say "Prometheus/Alertmanager not installed: skipping them (apt-get install prometheus prometheus-alertmanager)"
fi

say "Starting payments and shop with -javaagent:vigil-agent.jar (no code change)"
AGENT_COMMON="collector.endpoint=http://127.0.0.1:4318,collector.token=$TOKEN,metrics.host=127.0.0.1"
start payments java "-javaagent:$AGENT=$AGENT_COMMON,service.name=payments,metrics.port=9465" \
  -jar "$APP" payments 8081
start shop java "-javaagent:$AGENT=$AGENT_COMMON,service.name=shop,metrics.port=9464,config=$ROOT/integration-tests/apps/demo-shop/vigil.yaml,logs.json=file:$DEMO/logs/shop.json" \
  -jar "$APP" shop 8080 http://127.0.0.1:8081
wait_ready payments http://127.0.0.1:8081/charge 60 || true
wait_ready shop "$SHOP/healthz" 60

start watch java -jar "$APP" watch "$COLLECTOR_API" "$ADMIN"
tail -n +1 -q --pid=$$ -f "$DEMO/logs/watch.log" "$DEMO/logs/alert-sink.log" 2>/dev/null | grep --line-buffered -v '^READY\|^$' &
PIDS+=("$!")
start load java -jar "$APP" load "$SHOP" 25

firing() { # alertname: true when the collector has it firing
  curl -sf -H "Authorization: Bearer $ADMIN" "$COLLECTOR_API/api/alerts?state=firing" | grep -q "\"alertname\":\"$1\""
}

wait_for() { # fire|clear alertname seconds
  local i=0
  while :; do
    if [ "$1" = fire ] && firing "$2"; then return 0; fi
    if [ "$1" = clear ] && ! firing "$2"; then return 0; fi
    i=$((i + 5))
    if [ "$i" -gt "$3" ]; then
      echo "demo: $2 did not $1 within $3 s (see .demo/logs/collector.log)"
      return 1
    fi
    sleep 5
  done
}

fault() { curl -sf -XPOST "$SHOP/admin/faults/$1?on=$2" >/dev/null; }

say "Warming up: 60 s of normal traffic (25 requests/s)"
sleep 60

FAILED=0
say "Scenario 1: the payments dependency goes down (its process is stopped)"
kill "$PID_payments"
wait_for fire DependencyUnavailable 240 || FAILED=1
say "Payments is back"
start payments java "-javaagent:$AGENT=$AGENT_COMMON,service.name=payments,metrics.port=9465" -jar "$APP" payments 8081
wait_for clear DependencyUnavailable 300 || FAILED=1

say "Scenario 2: the database gets slow (every inventory query waits 1.5 s)"
fault slow-db true
wait_for fire SlowDatabase 240 || FAILED=1
fault slow-db false
wait_for clear SlowDatabase 300 || FAILED=1

say "Scenario 3: a deploy ships a new bug (bundle discounts throw ArithmeticException)"
fault new-bug true
wait_for fire NewErrorGroup 240 || FAILED=1
fault new-bug false
say "Bug rolled back"
wait_for clear NewErrorGroup 600 || FAILED=1

say "Scenario 4: a burst of 5xx (the order store is left read-only)"
fault burst-5xx true
wait_for fire HighErrorRatio 240 || FAILED=1
fault burst-5xx false
wait_for clear HighErrorRatio 300 || FAILED=1

cat <<TEXT

Where to look:
  alerts (JSON)        curl -H 'Authorization: Bearer $ADMIN' $COLLECTOR_API/api/alerts
  alert history        curl -H 'Authorization: Bearer $ADMIN' $COLLECTOR_API/api/alerts/history
  error groups         curl -H 'Authorization: Bearer $ADMIN' $COLLECTOR_API/api/errors
  a runbook            the runbook URLs above (HTML; add ?format=md for Markdown)
  the shop's metrics   curl -s http://127.0.0.1:9464/metrics | grep -E 'http_server|orders|vigil_errors'
  the shop's JSON logs $DEMO/logs/shop.json (its console log is unchanged: $DEMO/logs/shop.log)
  the collector        curl -s $COLLECTOR_API/metrics; logs in $DEMO/logs/collector.log
TEXT
[ -n "$PROMETHEUS" ] && echo "  Prometheus           http://127.0.0.1:9090 (try: sum by (service) (rate(http_server_request_duration_seconds_count[1m])))"
if $ONCE; then
  [ "$FAILED" = 0 ] || die "some scenarios did not fire or resolve in time"
  echo "demo: all scenarios fired and resolved"
  exit 0
fi
echo
echo "Everything keeps running; Ctrl-C stops it all."
while :; do sleep 3600; done
