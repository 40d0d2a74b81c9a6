#!/usr/bin/env bash
# ASP.NET Core side by side: the same minimal-API app (bench/AspNetCore.Minimal: /plaintext and /json) served by Hyper
# (UseHyper, on --backend) and by Kestrel, in the same process type, same run. As bench/run.sh: the server is pinned
# to CPU 0 and wrk to CPU 1, and rounds alternate Hyper, Kestrel (A B A B).
#
# Usage: bench/aspnetcore.sh [--backend NAME] [--duration S] [--rounds N] [--warmup S] [--connections N]
# Writes bench/results/aspnetcore-BACKEND.md.
set -euo pipefail

backend=thread-pool
duration=10
rounds=2
warmup=3
connections=64
hyper_port=${BENCH_HYPER_PORT:-18090}
kestrel_port=${BENCH_KESTREL_PORT:-18091}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) backend=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

cd "$(dirname "$0")/.."
for tool in wrk taskset curl dotnet; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (apt-get install -y wrk util-linux curl)" >&2; exit 69; }
done
cpu_server=0; cpu_client=1
[[ $(nproc) -lt 2 ]] && { cpu_client=0; echo "warning: one CPU only; server and wrk share it" >&2; }
mkdir -p bench/results
work=$(mktemp -d)

echo "== building (Release)"
dotnet build bench/AspNetCore.Minimal -c Release -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dll=bench/AspNetCore.Minimal/bin/Release/net10.0/AspNetCore.Minimal.dll

declare -A port=([hyper]=$hyper_port [kestrel]=$kestrel_port)
declare -A pid_of=()
cleanup() { for p in "${pid_of[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

start() { # name
  taskset -c "$cpu_server" dotnet "$dll" "$1" "${port[$1]}" "$backend" >"$work/$1.log" 2>&1 &
  pid_of[$1]=$!
  for _ in $(seq 1 150); do
    [[ $(curl -s --max-time 1 "http://127.0.0.1:${port[$1]}/plaintext" 2>/dev/null) == "Hello, World!" ]] && return 0
    kill -0 "${pid_of[$1]}" 2>/dev/null || { cat "$work/$1.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$1 did not start" >&2; cat "$work/$1.log" >&2; exit 1
}

rps() { # name path seconds -> requests/s
  taskset -c "$cpu_client" wrk -t1 -c"$connections" -d"$3s" "http://127.0.0.1:${port[$1]}$2" | awk '/^Requests\/sec/ {print $2}'
}

start hyper
start kestrel
declare -A total=()
for path in /plaintext /json; do
  for name in hyper kestrel; do rps "$name" "$path" "$warmup" >/dev/null; done
  for round in $(seq 1 "$rounds"); do
    for name in hyper kestrel; do
      r=$(rps "$name" "$path" "$duration")
      echo "round $round $path $name: $r req/s"
      total[$name$path]=$(awk -v a="${total[$name$path]:-0}" -v b="$r" 'BEGIN {print a + b}')
    done
  done
done

out=bench/results/aspnetcore-$backend.md
{
  echo "# ASP.NET Core minimal API: Hyper ($backend) vs Kestrel"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, server on CPU $cpu_server, wrk -t1 -c$connections on CPU $cpu_client, ${rounds} x ${duration} s rounds (A B A B)"
  echo
  echo "| scenario | Hyper req/s | Kestrel req/s | Hyper / Kestrel |"
  echo "|---|---|---|---|"
  for path in /plaintext /json; do
    h=$(awk -v t="${total[hyper$path]}" -v n="$rounds" 'BEGIN {printf "%.0f", t / n}')
    k=$(awk -v t="${total[kestrel$path]}" -v n="$rounds" 'BEGIN {printf "%.0f", t / n}')
    echo "| $path | $h | $k | $(awk -v h="$h" -v k="$k" 'BEGIN {printf "%.2f", h / k}') |"
  done
} >"$out"
cat "$out"
