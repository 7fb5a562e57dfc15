#!/usr/bin/env bash
# Shell helpers shared by the whole-process benchmarks (source it: functions, and a file of ports given out).

# Ports handed out so far; a file because free_port runs in command substitutions (subshells).
GIVEN_PORTS_FILE=$(mktemp /tmp/vigil-bench-ports.XXXXXX)
free_port() { # a loopback port nothing listens on, below the kernel's ephemeral range (so no
  # outgoing connection can hold it) and never handed out twice by this script
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while true; do
    port=$((10000 + RANDOM % (low - 10000)))
    grep -qx "$port" "$GIVEN_PORTS_FILE" && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port" >>"$GIVEN_PORTS_FILE"
      echo "$port"
      return
    fi
  done
}

start_work_dir() { # prefix: sets WORK (a fresh directory) and PIDS; at exit every pid added to
  # PIDS is killed and WORK removed, whatever way the script ends
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  trap stop_all_and_clean EXIT
}

stop_all_and_clean() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  rm -rf "$WORK" "$GIVEN_PORTS_FILE"
}

wait_for_line() { # file pattern seconds
  local i=0
  while ! grep -q "$2" "$1" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
    if [ "$i" -gt $(($3 * 10)) ]; then
      echo "timed out waiting for '$2' in $1" >&2
      tail -20 "$1" >&2
      return 1
    fi
  done
}

stop() { # pid: TERM, then KILL after 20 s
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null || true
}

metric() { # metrics-text series: the value of the first sample of that series
  awk -v s="$2" 'index($0, s" ") == 1 { print $2 }' <<<"$1" | head -1
}

median() { # numbers on stdin, one per line
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

machine_line() { # java binary
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), $("$1" -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

pin_cpus() { # sets APP_CPU and LOAD_CPU: the service on core 0, load and stubs on core 1
  APP_CPU=()
  LOAD_CPU=()
  if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    APP_CPU=(taskset -c 0)
    LOAD_CPU=(taskset -c 1)
  fi
}
