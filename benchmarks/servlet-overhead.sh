#!/usr/bin/env bash
# Cost of the agent on a real servlet container: start-up time, throughput and memory of stock
# Apache Tomcat 11 (from Maven Central) serving its own examples webapp, with no agent, with Vigil,
# and with the OpenTelemetry Java agent (also from Maven Central), each exporting to the same stub
# OTLP collector (benchmarks/export-outage/StubCollector.java, answers 200).
#
# Per round and mode, interleaved so drift on a shared machine hits every mode alike, fresh JVMs:
#   hello start-up  ms from launching a hello-world JDK HttpServer app (the sample service) to its
#                   first 200 on /hello
#   start-up        ms from launching Tomcat to the first 200 from HelloWorldExample (the agent's whole
#                   premain, instrumentation of Tomcat's classes and the first traced request included)
#   throughput      wrk -t1 -c16 on HelloWorldExample after a warm-up (every request a sampled span);
#                   the default warm-up is 30 s because with an agent the JIT is still compiling the
#                   agent's code paths (span export, encoding) 10 s in: a profile of an 8 s warm-up
#                   showed the C2 compiler taking a quarter of the pinned core during the measurement,
#                   so short warm-ups measure compilation, not the steady per-request cost
#   p99             wrk's 99th percentile latency of that run
#   memory          VmHWM (peak resident set) of the Tomcat JVM at the end of the measured run
# Prints per-run lines and a table of medians with ratios to the no-agent baseline.
#
# Usage: benchmarks/servlet-overhead.sh [rounds=5] [seconds=20] [warmup seconds=30]
# Needs: agent/target/vigil-agent.jar (built here if missing), wrk (benchmarks/install-bench-deps.sh),
# Maven (to fetch Tomcat and the OpenTelemetry agent). Loopback only; everything started is stopped.
# Tomcat's access log is turned off: under wrk it grows by hundreds of MB and measures the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-5}
SECONDS_PER_RUN=${2:-20}
WARMUP=${3:-30}
CONNECTIONS=${VIGIL_BENCH_CONNECTIONS:-16}
JAVA=${JAVA:-java}
MODES=(baseline vigil otel)

bash benchmarks/install-bench-deps.sh
# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh

version() { # pom property
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1
}
TOMCAT_VERSION=$(version tomcat11.version)
OTEL_VERSION=$(version opentelemetry-javaagent.version)
AGENT="$ROOT/agent/target/vigil-agent.jar"
HELLO="$ROOT/integration-tests/apps/sample-service/target/sample-service.jar"
if [ ! -f "$AGENT" ] || [ ! -f "$HELLO" ]; then
  echo "building the agent and the sample service"
  flock /tmp/vigil-build.lock mvn -q -B package -DskipTests -Dspotless.check.skip=true \
    -pl agent,integration-tests/apps/sample-service -am
fi

DOWNLOADS="$ROOT/benchmarks/target/downloads"
mkdir -p "$DOWNLOADS"
fetch() { # groupId:artifactId:version:type file
  if [ ! -f "$DOWNLOADS/$2" ]; then
    flock /tmp/vigil-build.lock mvn -q -B dependency:copy -Dartifact="$1" -DoutputDirectory="$DOWNLOADS" \
      -Dmdep.stripVersion=false
  fi
}
fetch "org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" "tomcat-$TOMCAT_VERSION.tar.gz"
fetch "io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION:jar" "opentelemetry-javaagent-$OTEL_VERSION.jar"
OTEL_AGENT="$DOWNLOADS/opentelemetry-javaagent-$OTEL_VERSION.jar"

start_work_dir vigil-servlet-overhead

# One Tomcat installation; the HTTP port comes from a system property, the shutdown port is off,
# and only the examples webapp is deployed.
tar -xzf "$DOWNLOADS/tomcat-$TOMCAT_VERSION.tar.gz" -C "$WORK"
CATALINA_HOME="$WORK/apache-tomcat-$TOMCAT_VERSION"
sed -i -e 's/port="8005"/port="-1"/' -e 's/port="8080"/port="${vigil.bench.port}"/' \
  -e '/AccessLogValve/,/\/>/d' "$CATALINA_HOME/conf/server.xml"
rm -rf "$CATALINA_HOME"/webapps/{docs,manager,host-manager}
if grep -q AccessLogValve "$CATALINA_HOME/conf/server.xml"; then
  echo "could not turn off Tomcat's access log" >&2
  exit 1
fi
URL_PATH=/examples/servlets/servlet/HelloWorldExample

pin_cpus
now_ms() { date +%s%3N; }

agent_args_for() { # mode collector_port metrics_port round: prints one JVM argument per line
  case "$1" in
    vigil)
      echo "-javaagent:$AGENT=collector.endpoint=http://127.0.0.1:$2,metrics.port=$3,metrics.host=127.0.0.1,service.name=bench,collector.buffer.directory=$WORK/buffer-$4"
      ;;
    otel)
      printf '%s\n' "-javaagent:$OTEL_AGENT" -Dotel.service.name=bench \
        "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:$2" -Dotel.exporter.otlp.protocol=http/protobuf
      ;;
  esac
}

await_200() { # url pid log what: prints nothing, fails after 30 s or when the process dies
  local tries=0
  until curl -sf -o /dev/null "$1"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 3000 ] || ! kill -0 "$2" 2>/dev/null; then
      kill "$2" 2>/dev/null || true
      echo "$4 did not serve $1" >&2
      tail -30 "$3" >&2
      exit 1
    fi
    sleep 0.01
  done
}

hello_startup() { # mode round collector_port: ms to the first 200 of the JDK HttpServer hello app
  local port log="$WORK/hello-$1-$2.log" pid start args=()
  port=$(free_port)
  mapfile -t args < <(agent_args_for "$1" "$3" "$(free_port)" "hello-$2")
  start=$(now_ms)
  "${APP_CPU[@]}" "$JAVA" -Xms256m -Xmx256m "${args[@]}" -jar "$HELLO" "$port" >"$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  await_200 "http://127.0.0.1:$port/hello" "$pid" "$log" "hello app ($1)"
  echo $(($(now_ms) - start))
  stop "$pid"
}

p99_ms() { # wrk --latency output: the 99% line in milliseconds
  awk '$1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
    if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v }' <<<"$1"
}

run_mode() { # mode round
  local mode=$1 round=$2
  local port collector_port metrics_port stub_pid app_pid log="$WORK/$mode-$round.log"
  port=$(free_port)
  collector_port=$(free_port)
  metrics_port=$(free_port)
  "${LOAD_CPU[@]}" "$JAVA" "$ROOT/benchmarks/export-outage/StubCollector.java" up "$collector_port" \
    >"$WORK/stub-$mode-$round.log" 2>&1 &
  stub_pid=$!
  PIDS+=("$stub_pid")
  wait_for_line "$WORK/stub-$mode-$round.log" READY 60
  local hello
  hello=$(hello_startup "$mode" "$round" "$collector_port")
  local agent_args=()
  mapfile -t agent_args < <(agent_args_for "$mode" "$collector_port" "$metrics_port" "$round")
  local start end
  start=$(now_ms)
  "${APP_CPU[@]}" "$JAVA" -Xms256m -Xmx256m "${agent_args[@]}" \
    -Dvigil.bench.port="$port" -Dcatalina.home="$CATALINA_HOME" -Dcatalina.base="$CATALINA_HOME" \
    -Djava.io.tmpdir="$CATALINA_HOME/temp" \
    -Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager \
    -Djava.util.logging.config.file="$CATALINA_HOME/conf/logging.properties" \
    -cp "$CATALINA_HOME/bin/bootstrap.jar:$CATALINA_HOME/bin/tomcat-juli.jar" \
    org.apache.catalina.startup.Bootstrap start >"$log" 2>&1 &
  app_pid=$!
  PIDS+=("$app_pid")
  await_200 "http://127.0.0.1:$port$URL_PATH" "$app_pid" "$log" "Tomcat ($mode)"
  end=$(now_ms)
  local startup=$((end - start))
  "${LOAD_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$port$URL_PATH" >/dev/null
  local out rps hwm errors p99
  out=$("${LOAD_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$port$URL_PATH")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p99=$(p99_ms "$out")
  errors=$(awk '/Non-2xx|Socket errors/ { $1=$1; printf "%s; ", $0 }' <<<"$out")
  hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$app_pid/status")
  local report=""
  if [ "$mode" = vigil ]; then
    local m
    m=$(curl -s "http://127.0.0.1:$metrics_port/metrics" || true)
    report="server_requests=$(grep -c "^http_server_request_duration_seconds_count" <<<"$m" || true) exported=$(metric "$m" 'vigil_agent_spans_exported_total{service="bench"}') dropped=$(metric "$m" 'vigil_agent_spans_dropped_total{service="bench"}')"
  fi
  stop "$app_pid"
  stop "$stub_pid"
  echo "$mode round=$round hello_startup_ms=$hello tomcat_startup_ms=$startup rps=$rps p99_ms=$p99 vmhwm_kib=$hwm ${errors}${report}" | tee -a "$WORK/runs.txt" >&2
  echo "$mode $startup $rps $hwm $hello $p99" >>"$WORK/results.txt"
}

machine_line "$JAVA"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); Tomcat $TOMCAT_VERSION, OpenTelemetry Java agent $OTEL_VERSION; rounds=$ROUNDS, ${SECONDS_PER_RUN}s measured after ${WARMUP}s warm-up, wrk -t1 -c$CONNECTIONS GET $URL_PATH"
for round in $(seq 1 "$ROUNDS"); do
  for mode in "${MODES[@]}"; do
    run_mode "$mode" "$round"
  done
done

col_median() { # mode column
  awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$WORK/results.txt" | median
}
echo
echo "| mode | hello start-up ms | Tomcat start-up ms | requests/s | vs none | p99 ms | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|"
b_rps=$(col_median baseline 3)
for mode in "${MODES[@]}"; do
  awk -v m="$mode" -v hs="$(col_median "$mode" 5)" -v s="$(col_median "$mode" 2)" -v r="$(col_median "$mode" 3)" \
    -v p="$(col_median "$mode" 6)" -v h="$(col_median "$mode" 4)" -v br="$b_rps" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.0f |\n", m, hs, s, r, r / br, p, h / 1024 }'
done
echo
echo "Against the OpenTelemetry agent (issue targets: start-up penalty <= 1/3, throughput loss <= 1/2,"
echo "p99 no worse, peak-RSS increase <= 1/2 of the OpenTelemetry agent's):"
awk -v hb="$(col_median baseline 5)" -v hv="$(col_median vigil 5)" -v ho="$(col_median otel 5)" \
  -v sb="$(col_median baseline 2)" -v sv="$(col_median vigil 2)" -v so="$(col_median otel 2)" \
  -v rb="$b_rps" -v rv="$(col_median vigil 3)" -v ro="$(col_median otel 3)" \
  -v pv="$(col_median vigil 6)" -v po="$(col_median otel 6)" \
  -v mb="$(col_median baseline 4)" -v mv="$(col_median vigil 4)" -v mo="$(col_median otel 4)" 'BEGIN {
  printf "  hello start-up penalty: Vigil %+.0f ms, OpenTelemetry %+.0f ms, ratio %.2f\n", hv - hb, ho - hb, (hv - hb) / (ho - hb)
  printf "  Tomcat start-up penalty: Vigil %+.0f ms, OpenTelemetry %+.0f ms, ratio %.2f\n", sv - sb, so - sb, (sv - sb) / (so - sb)
  printf "  throughput loss: Vigil %.1f%%, OpenTelemetry %.1f%%, ratio %.2f\n", 100 * (1 - rv / rb), 100 * (1 - ro / rb), (1 - rv / rb) / (1 - ro / rb)
  printf "  p99: Vigil %.2f ms, OpenTelemetry %.2f ms\n", pv, po
  printf "  peak RSS increase: Vigil %+.0f MiB, OpenTelemetry %+.0f MiB, ratio %.2f\n", (mv - mb) / 1024, (mo - mb) / 1024, (mv - mb) / (mo - mb)
}'
