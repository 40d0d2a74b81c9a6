#!/usr/bin/env bash
# Side-by-side benchmark: Hyper (samples/Hello) against Kestrel (bench/Kestrel.Hello), same machine, same run.
# Each server is pinned to CPU 0 and wrk to CPU 1, so neither steals the other's core. Runs alternate
# Hyper, Kestrel, Hyper, Kestrel (A B A B) so that drift in machine speed hits both alike.
#
# With --protocol h2, the load tool is h2load over HTTP/2 with prior knowledge (h2c) instead of wrk: Hyper takes it on
# its one cleartext port, Kestrel on an extra HTTP/2-only endpoint (it serves h2c nowhere else).
#
# Usage: bench/run.sh [--backend NAME] [--protocol h1|h2] [--duration S] [--rounds N] [--warmup S] [--servers hyper,kestrel]
# Writes bench/results/latest.md. See bench/README.md.
set -euo pipefail

backend=thread-pool
protocol=h1
duration=10
rounds=2
warmup=3
servers=hyper,kestrel
hyper_port=${BENCH_HYPER_PORT:-18080}
kestrel_port=${BENCH_KESTREL_PORT:-18081}
connections=64
pipeline_depth=16

while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) backend=$2; shift 2 ;;
    --protocol) protocol=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --servers) servers=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

cd "$(dirname "$0")/.."
root=$(pwd)
results_dir=$root/bench/results
work=$(mktemp -d)
mkdir -p "$results_dir"

load_tool=wrk
[[ $protocol == h2 ]] && load_tool=h2load
for tool in $load_tool taskset curl dotnet; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (apt-get install -y wrk util-linux curl)" >&2; exit 69; }
done
cpu_server=0
cpu_client=1
if [[ $(nproc) -lt 2 ]]; then
  echo "warning: one CPU only; server and wrk share it and the numbers mean little" >&2
  cpu_client=0
fi

# Only the processes started here are stopped, by PID.
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]:-}"; do
    [[ -n $pid ]] && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

wants() { [[ ",$servers," == *",$1,"* ]]; }

# ---- build -------------------------------------------------------------------------------------------------
echo "== building (Release)"
if wants kestrel; then
  dotnet build bench/Kestrel.Hello -c Release -v q -nologo >"$work/build-kestrel.log" 2>&1 \
    || { cat "$work/build-kestrel.log" >&2; exit 1; }
fi
if wants hyper; then
  if ! { dotnet build samples/Hello -c Release -v q -nologo && dotnet build Hyper.Cli -c Release -v q -nologo; } >"$work/build-hyper.log" 2>&1; then
    echo "warning: Hyper does not build; benchmarking Kestrel alone (log: bench/results/build-hyper.log)" >&2
    cp "$work/build-hyper.log" "$results_dir/build-hyper.log"
    servers=${servers//hyper/}
  fi
fi

# ---- start servers -----------------------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() { # name port pid
  for _ in $(seq 1 150); do
    if [[ $(curl -s --max-time 1 "http://127.0.0.1:$2/" 2>/dev/null) == "Hello, World!" ]]; then return 0; fi
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

declare -A port pid_of h2_port
port[hyper]=$hyper_port
port[kestrel]=$kestrel_port
h2_port[hyper]=$hyper_port
h2_port[kestrel]=${BENCH_KESTREL_H2C_PORT:-$((kestrel_port + 1))}

start_server() { # name
  local name=$1
  port_free "${port[$name]}" || { echo "port ${port[$name]} is in use; set BENCH_${name^^}_PORT" >&2; exit 1; }
  if [[ $name == hyper ]]; then
    # The Server header off on both sides (Kestrel's AddServerHeader = false). Over HTTP/2, no per-connection
    # request cap (Kestrel has none; h2load does not reconnect after a GOAWAY).
    local extra=()
    [[ $protocol == h2 ]] && extra=(--set keep_alive_max_requests=2000000000)
    HYPER_INCLUDE_SERVER_HEADER=false taskset -c "$cpu_server" dotnet Hyper.Cli/bin/Release/net10.0/hyper.dll \
      samples/Hello/bin/Release/net10.0/Hello.dll:Hello.HelloApp \
      --bind "127.0.0.1:${port[$name]}" --worker-class "$backend" "${extra[@]}" >"$work/$name.log" 2>&1 &
  elif [[ $protocol == h2 ]]; then
    taskset -c "$cpu_server" dotnet bench/Kestrel.Hello/bin/Release/net10.0/Kestrel.Hello.dll \
      --http-port "${port[$name]}" --h2c-port "${h2_port[$name]}" >"$work/$name.log" 2>&1 &
  else
    taskset -c "$cpu_server" dotnet bench/Kestrel.Hello/bin/Release/net10.0/Kestrel.Hello.dll \
      --urls "http://127.0.0.1:${port[$name]}" >"$work/$name.log" 2>&1 &
  fi
  pid_of[$name]=$!
  pids+=("$!")
  if ! wait_ready "$name" "${port[$name]}" "${pid_of[$name]}"; then
    echo "warning: $name is not serving on port ${port[$name]}; leaving it out (log: bench/results/$name.log)" >&2
    cp "$work/$name.log" "$results_dir/$name.log"
    kill "${pid_of[$name]}" 2>/dev/null || true
    servers=${servers//$name/}
  fi
}

active=()
for name in hyper kestrel; do
  wants "$name" || continue
  start_server "$name"
  wants "$name" && active+=("$name")
done
[[ ${#active[@]} -gt 0 ]] || { echo "no server to benchmark" >&2; exit 1; }

# ---- run ---------------------------------------------------------------------------------------------------
declare -A rps_sum rps_runs bytes_sum errors
scenarios=(plaintext pipelined)
[[ $protocol == h2 ]] && scenarios=(h2-c16-m32 h2-c1-m100)

run_wrk() { # name scenario seconds -> load tool output on stdout
  local url="http://127.0.0.1:${port[$1]}/"
  if [[ $protocol == h2 ]]; then
    local c=${2#h2-c}; c=${c%%-*}; local m=${2##*-m}
    taskset -c "$cpu_client" h2load -t1 -c"$c" -m"$m" -D "$3" "http://127.0.0.1:${h2_port[$1]}/"
    return
  fi
  local args=(-t1 -c"$connections" -d"${3}s" --timeout 5s)
  [[ $2 == pipelined ]] && args+=(-s bench/pipeline.lua)
  if [[ $2 == pipelined ]]; then
    taskset -c "$cpu_client" wrk "${args[@]}" "$url" -- "$pipeline_depth"
  else
    taskset -c "$cpu_client" wrk "${args[@]}" "$url"
  fi
}

allocated() { curl -s --max-time 2 "http://127.0.0.1:${port[$1]}/_bench/allocated" || true; }

echo "== warm-up (${warmup}s per server and scenario)"
for name in "${active[@]}"; do
  for scenario in "${scenarios[@]}"; do run_wrk "$name" "$scenario" "$warmup" >/dev/null; done
done

for round in $(seq 1 "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    for name in "${active[@]}"; do
      before=$(allocated "$name")
      out=$(run_wrk "$name" "$scenario" "$duration")
      after=$(allocated "$name")
      if [[ $protocol == h2 ]]; then
        # h2load: "finished in 10.00s, 12345.67 req/s, ..." and "requests: N total, ..., S succeeded, F failed, E errored"
        rps=$(awk '/^finished in/ {print $4}' <<<"$out")
        requests=$(awk '/^requests:/ {print $2}' <<<"$out")
        bad=$(awk '/^requests:/ {gsub(",",""); n+=$10} /^status codes:/ {gsub(",",""); n+=$7+$9} END {print n+0}' <<<"$out")
      else
        rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        requests=$(awk '/requests in/ {print $1}' <<<"$out")
        bad=$(awk '/Non-2xx or 3xx responses:/ {n+=$NF} /Socket errors:/ {gsub(",",""); n+=$4+$6+$8+$10} END {print n+0}' <<<"$out")
      fi
      key="$name/$scenario"
      rps_sum[$key]=$(awk -v a="${rps_sum[$key]:-0}" -v b="${rps:-0}" 'BEGIN {print a + b}')
      rps_runs[$key]=$(( ${rps_runs[$key]:-0} + 1 ))
      errors[$key]=$(( ${errors[$key]:-0} + bad ))
      if [[ $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ && ${requests:-0} -gt 0 ]]; then
        bytes_sum[$key]=$(awk -v s="${bytes_sum[$key]:-0}" -v d=$(( after - before )) -v n="$requests" 'BEGIN {print s + d / n}')
      fi
      printf 'round %s  %-9s %-8s %12s req/s  errors %s\n' "$round" "$scenario" "$name" "${rps:-?}" "$bad"
    done
  done
done

# ---- report ------------------------------------------------------------------------------------------------
mean() { awk -v s="$1" -v n="$2" 'BEGIN {printf "%.0f", s / n}'; }
report=$results_dir/latest.md
[[ $protocol == h2 ]] && report=$results_dir/latest-h2.md
{
  echo "# Hyper vs Kestrel: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(uname -sr)"
  echo "- .NET SDK $(dotnet --version); Hyper backend: \`$backend\`"
  if [[ $protocol == h2 ]]; then
    echo "- servers pinned to CPU $cpu_server, h2load to CPU $cpu_client; h2load -t1 -D ${duration}s (h2c, prior knowledge); $rounds rounds, A B A B; h2-cC-mM = C connections, M concurrent streams each"
  else
    echo "- servers pinned to CPU $cpu_server, wrk to CPU $cpu_client; wrk -t1 -c$connections -d${duration}s; $rounds rounds, A B A B; pipelined = $pipeline_depth requests per write"
  fi
  echo "- bytes/request: process allocations during the run (GC.GetTotalAllocatedBytes) / requests served"
  echo
  echo "| scenario | server | requests/s (mean) | bytes allocated/request | errors |"
  echo "|---|---|---:|---:|---:|"
  for scenario in "${scenarios[@]}"; do
    for name in "${active[@]}"; do
      key="$name/$scenario"
      b=${bytes_sum[$key]:-}
      [[ -n $b ]] && b=$(awk -v s="$b" -v n="${rps_runs[$key]}" 'BEGIN {printf "%.0f", s / n}') || b=n/a
      echo "| $scenario | $name | $(mean "${rps_sum[$key]}" "${rps_runs[$key]}") | $b | ${errors[$key]} |"
    done
  done
  echo
  if wants hyper && wants kestrel; then
    echo "| scenario | Hyper / Kestrel |"
    echo "|---|---:|"
    for scenario in "${scenarios[@]}"; do
      echo "| $scenario | $(awk -v h="${rps_sum[hyper/$scenario]}" -v k="${rps_sum[kestrel/$scenario]}" 'BEGIN {printf "%.2f", h / k}') |"
    done
  else
    echo "Only ${active[*]} ran: no ratio."
  fi
} >"$report"

echo
cat "$report"
