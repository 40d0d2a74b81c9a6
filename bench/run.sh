#!/usr/bin/env bash
# Side-by-side benchmark: Hyper (samples/Hello) against Kestrel (bench/Kestrel.Hello), same machine, same run.
# Each server is pinned to CPU 0 and wrk to CPU 1, so neither steals the other's core. Runs alternate
# Hyper, Kestrel, Hyper, Kestrel (A B A B) so that drift in machine speed hits both alike.
#
# With --protocol h2, the load tool is h2load over HTTP/2 with prior knowledge (h2c) instead of wrk: Hyper takes it on
# its one cleartext port, Kestrel on an extra HTTP/2-only endpoint (it serves h2c nowhere else).
#
# With --protocol h1-tls or h2-tls, both servers serve HTTPS from the same PEM pair (an ECDSA P-256 localhost
# certificate made here with openssl): h1-tls runs wrk over https (HTTP/1.1: wrk offers no ALPN) plus a handshake
# scenario (Connection: close, so every request is a new TCP connection and TLS handshake: wrk offers its last
# session again, but neither server resumes TLS 1.3 sessions today - `openssl s_client -reconnect` shows "New" each
# time - so each is a full handshake); h2-tls runs h2load over https (ALPN h2).
#
# Usage: bench/run.sh [--backend NAME] [--protocol h1|h2|h1-tls|h2-tls] [--duration S] [--rounds N] [--warmup S] [--servers hyper,kestrel]
# Writes bench/results/latest.md (h1) or latest-PROTOCOL.md. See bench/README.md.
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
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

cd "$(dirname "$0")/.."
root=$(pwd)
results_dir=$root/bench/results
work=$(mktemp -d)
mkdir -p "$results_dir"

case "$protocol" in
  h1|h2|h1-tls|h2-tls) ;;
  *) echo "unknown protocol: $protocol (h1, h2, h1-tls or h2-tls)" >&2; exit 64 ;;
esac
# h2 and h2-tls measure HTTP/2, the rest HTTP/1.1; the -tls ones over HTTPS.
http2=false; [[ $protocol == h2* ]] && http2=true
tls=false; [[ $protocol == *-tls ]] && tls=true
scheme=http; $tls && scheme=https
load_tool=wrk
$http2 && load_tool=h2load
tools=("$load_tool" taskset curl dotnet)
$tls && tools+=(openssl)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (apt-get install -y wrk nghttp2-client util-linux curl openssl)" >&2; exit 69; }
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

# ---- certificate (TLS protocols) ---------------------------------------------------------------------------
# One self-signed ECDSA P-256 pair for localhost, given to both servers; the load tools do not verify it.
cert_file=$work/localhost.pem
key_file=$work/localhost.key
if $tls; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$key_file" -out "$cert_file" >"$work/openssl.log" 2>&1 \
    || { cat "$work/openssl.log" >&2; exit 1; }
fi

# ---- start servers -----------------------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() { # name port pid
  for _ in $(seq 1 150); do
    if [[ $(curl -sk --max-time 1 "$scheme://127.0.0.1:$2/" 2>/dev/null) == "Hello, World!" ]]; then return 0; fi
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
    $http2 && extra+=(--set keep_alive_max_requests=2000000000)
    $tls && extra+=(--certfile "$cert_file" --keyfile "$key_file")
    HYPER_INCLUDE_SERVER_HEADER=false taskset -c "$cpu_server" dotnet Hyper.Cli/bin/Release/net10.0/hyper.dll \
      samples/Hello/bin/Release/net10.0/Hello.dll:Hello.HelloApp \
      --bind "127.0.0.1:${port[$name]}" --worker-class "$backend" "${extra[@]}" >"$work/$name.log" 2>&1 &
  elif $tls; then
    taskset -c "$cpu_server" dotnet bench/Kestrel.Hello/bin/Release/net10.0/Kestrel.Hello.dll \
      --https-port "${port[$name]}" --certfile "$cert_file" --keyfile "$key_file" >"$work/$name.log" 2>&1 &
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
handshake_connections=100
case "$protocol" in
  h1) scenarios=(plaintext pipelined) ;;
  h2) scenarios=(h2-c16-m32 h2-c1-m100) ;;
  h1-tls) scenarios=(plaintext pipelined handshake) ;;
  h2-tls) scenarios=(h2-c16-m32) ;;
esac

run_wrk() { # name scenario seconds -> load tool output on stdout
  local url="$scheme://127.0.0.1:${port[$1]}/"
  if $http2; then
    local c=${2#h2-c}; c=${c%%-*}; local m=${2##*-m}
    # h2c goes to Kestrel's HTTP/2-only port; over TLS, ALPN picks h2 on the one HTTPS port.
    $tls || url="http://127.0.0.1:${h2_port[$1]}/"
    taskset -c "$cpu_client" h2load -t1 -c"$c" -m"$m" -D "$3" "$url"
    return
  fi
  local args=(-t1 -c"$connections" -d"${3}s" --timeout 5s)
  [[ $2 == pipelined ]] && args+=(-s bench/pipeline.lua)
  # Both servers then close after each response, and wrk opens a new connection (a full handshake) for the next.
  [[ $2 == handshake ]] && args=(-t1 -c"$handshake_connections" -d"${3}s" --timeout 5s -H "Connection: close")
  if [[ $2 == pipelined ]]; then
    taskset -c "$cpu_client" wrk "${args[@]}" "$url" -- "$pipeline_depth"
  else
    taskset -c "$cpu_client" wrk "${args[@]}" "$url"
  fi
}

allocated() { curl -sk --max-time 2 "$scheme://127.0.0.1:${port[$1]}/_bench/allocated" || true; }

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
      if $http2; then
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
# Whether a server resumed TLS sessions: openssl reconnects 5 times offering the last session (TLS 1.3 tickets).
# 0 means every handshake scenario request was a full handshake.
resumed() { echo | timeout 10 openssl s_client -connect "127.0.0.1:${port[$1]}" -reconnect 2>/dev/null | grep -c '^Reused' || true; }
mean() { awk -v s="$1" -v n="$2" 'BEGIN {printf "%.0f", s / n}'; }
report=$results_dir/latest.md
[[ $protocol != h1 ]] && report=$results_dir/latest-$protocol.md
{
  echo "# Hyper vs Kestrel: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(uname -sr)"
  echo "- .NET SDK $(dotnet --version); Hyper backend: \`$backend\`"
  if $http2; then
    transport="h2c, prior knowledge"; $tls && transport="https, ALPN h2"
    echo "- servers pinned to CPU $cpu_server, h2load to CPU $cpu_client; h2load -t1 -D ${duration}s ($transport); $rounds rounds, A B A B; h2-cC-mM = C connections, M concurrent streams each"
  else
    echo "- servers pinned to CPU $cpu_server, wrk to CPU $cpu_client; wrk -t1 -c$connections -d${duration}s ($scheme); $rounds rounds, A B A B; pipelined = $pipeline_depth requests per write"
  fi
  if $tls; then
    echo "- TLS: one self-signed ECDSA P-256 certificate for both servers (openssl req); the platform's defaults on both (TLS 1.3)"
    for name in "${active[@]}"; do echo "- $name resumed $(resumed "$name") of 5 TLS sessions offered by \`openssl s_client -reconnect\`"; done
    [[ $protocol == h1-tls ]] && echo "- handshake: wrk -c$handshake_connections -H 'Connection: close': a new TCP connection and TLS handshake per request; requests/s = handshakes/s"
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
