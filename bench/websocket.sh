#!/usr/bin/env bash
# WebSocket echo benchmark: Hyper (samples/Hello's /ws, on each backend) against Kestrel's WebSockets
# (bench/Kestrel.Hello's /ws), same machine, same run, same client (bench/WebSocket.Load).
#
# Scenarios, each one message in flight per connection:
#   small  64 connections, 16-byte binary messages: messages per second
#   large  4 connections, 1 MiB binary messages: messages (and MiB) per second
# The server is pinned to CPU 0 and the client to CPU 1 with taskset, as bench/run.sh does.
#
# Usage: bench/websocket.sh [seconds per run, default 10]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
port=${BENCH_WS_PORT:-18090}
cpu_server=0
cpu_client=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for project in Hyper.Cli samples/Hello bench/Kestrel.Hello bench/WebSocket.Load; do
  dotnet build "$project" -c Release -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
done

server_pid=
start_server() { # name [backend]
  if [[ $1 == hyper ]]; then
    env HYPER_INCLUDE_SERVER_HEADER=false taskset -c "$cpu_server" dotnet Hyper.Cli/bin/Release/net10.0/hyper.dll \
      samples/Hello/bin/Release/net10.0/Hello.dll:Hello.HelloApp --bind "127.0.0.1:$port" --worker-class "$2" >"$work/server.log" 2>&1 &
  else
    taskset -c "$cpu_server" dotnet bench/Kestrel.Hello/bin/Release/net10.0/Kestrel.Hello.dll --urls "http://127.0.0.1:$port" \
      >"$work/server.log" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  echo "server $1 did not start:" >&2; cat "$work/server.log" >&2; exit 1
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

load() { # connections bytes -> "msg/s MiB/s p99ms"
  taskset -c "$cpu_client" dotnet bench/WebSocket.Load/bin/Release/net10.0/WebSocket.Load.dll "ws://127.0.0.1:$port/ws" "$1" "$2" "$seconds"
}

declare -A result
run_all() { # name [backend] -> fills result[name/scenario]
  local key=${2:-$1}
  start_server "$1" "${2:-}"
  result[$key/small]=$(load 64 16)
  result[$key/large]=$(load 4 $((1 << 20)))
  stop_server
}

run_all kestrel
for backend in thread-pool single-thread-loop structured; do
  run_all hyper "$backend"
done

printf '%-20s %-6s %12s %10s %10s %8s\n' server scenario "msg/s" "MiB/s" "p99 ms" "x Kestrel"
for scenario in small large; do
  read -r k_rate _ _ <<<"${result[kestrel/$scenario]}"
  for key in kestrel thread-pool single-thread-loop structured; do
    read -r rate mib p99 <<<"${result[$key/$scenario]}"
    printf '%-20s %-6s %12s %10s %10s %8s\n' "$key" "$scenario" "$rate" "$mib" "$p99" "$(awk -v a="$rate" -v b="$k_rate" 'BEGIN { printf "%.2f", a / b }')"
  done
done
