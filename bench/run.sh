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
# Two scenarios are not request loads and run only when named in --scenarios: idle-memory (h1, h1-tls: the resident
# memory each server spends per idle keep-alive connection, 5,000 of them held by bench/idle_connections.py) and
# tls-handshakes (h1-tls, h2-tls: new TLS handshakes per second from parallel `openssl s_time -new` clients).
#
# Usage: bench/run.sh [--backend NAME] [--protocol h1|h2|h1-tls|h2-tls] [--scenarios a,b,...] [--duration S]
#                     [--rounds N] [--warmup S] [--servers hyper,kestrel] [--keep-alive S] [--idle-connections N]
#                     [--hyper-env 'VAR=VALUE ...'] [--hyper-ready-to-run]
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
scenario_list=
# Both servers get the same keep-alive timeout (Kestrel's default is 130 s, Hyper's 5 s): idle-memory holds
# connections idle, and the request scenarios are then configured alike too.
keep_alive=120
idle_connections=5000
echo_bytes=4096
# openssl s_time does one handshake at a time; several in parallel keep the server's core busy.
handshake_clients=4
hyper_env=
hyper_ready_to_run=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) backend=$2; shift 2 ;;
    --protocol) protocol=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --servers) servers=$2; shift 2 ;;
    --scenarios) scenario_list=$2; shift 2 ;;
    --keep-alive) keep_alive=$2; shift 2 ;;
    --idle-connections) idle_connections=$2; shift 2 ;;
    --hyper-env) hyper_env=$2; shift 2 ;;
    --hyper-ready-to-run) hyper_ready_to_run=true; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
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

# Scenarios: the request loads of each protocol run by default; idle-memory and tls-handshakes only when named.
case "$protocol" in
  h1) default_scenarios=(plaintext pipelined json echo); extra_scenarios=(idle-memory) ;;
  h2) default_scenarios=(h2-c16-m32 h2-c1-m100); extra_scenarios=() ;;
  h1-tls) default_scenarios=(plaintext pipelined json echo handshake); extra_scenarios=(idle-memory tls-handshakes) ;;
  h2-tls) default_scenarios=(h2-c16-m32); extra_scenarios=(tls-handshakes) ;;
esac
if [[ -n $scenario_list ]]; then
  IFS=, read -ra scenarios <<<"$scenario_list"
  for scenario in "${scenarios[@]}"; do
    if [[ " ${default_scenarios[*]} ${extra_scenarios[*]} " != *" $scenario "* ]]; then
      echo "scenario $scenario is not available with --protocol $protocol (${default_scenarios[*]} ${extra_scenarios[*]})" >&2
      exit 64
    fi
  done
else
  scenarios=("${default_scenarios[@]}")
fi
has_scenario() { [[ " ${scenarios[*]} " == *" $1 "* ]]; }
read -ra hyper_env_vars <<<"$hyper_env"
for assignment in "${hyper_env_vars[@]}"; do
  [[ $assignment == *=* ]] || { echo "--hyper-env takes VAR=VALUE words, not: $assignment" >&2; exit 64; }
done
scheme=http; $tls && scheme=https
load_tool=wrk
$http2 && load_tool=h2load
tools=("$load_tool" taskset curl dotnet)
$tls && tools+=(openssl)
has_scenario idle-memory && tools+=(/usr/bin/python3)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (apt-get install -y wrk nghttp2-client util-linux curl openssl python3)" >&2; exit 69; }
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
  hyper_dll=Hyper.Cli/bin/Release/net10.0/hyper.dll
  build_hyper=(dotnet build Hyper.Cli -c Release -v q -nologo)
  if $hyper_ready_to_run; then
    # Ahead-of-time compiled (ReadyToRun) hyper and Hyper.* assemblies, in a folder of their own; the product's build
    # settings stay as they are.
    hyper_dll=$work/hyper-r2r/hyper.dll
    build_hyper=(dotnet publish Hyper.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true
      -o "$work/hyper-r2r" -v q -nologo)
  fi
  if ! { dotnet build samples/Hello -c Release -v q -nologo && "${build_hyper[@]}"; } >"$work/build-hyper.log" 2>&1; then
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
    local extra=(--keep-alive "$keep_alive")
    $http2 && extra+=(--set keep_alive_max_requests=2000000000)
    $tls && extra+=(--certfile "$cert_file" --keyfile "$key_file")
    # --hyper-env: runtime settings (DOTNET_TieredPGO=0, ...) for Hyper only; env and taskset exec, so $! is dotnet.
    env HYPER_INCLUDE_SERVER_HEADER=false "${hyper_env_vars[@]}" taskset -c "$cpu_server" dotnet "$hyper_dll" \
      samples/Hello/bin/Release/net10.0/Hello.dll:Hello.HelloApp \
      --bind "127.0.0.1:${port[$name]}" --worker-class "$backend" "${extra[@]}" >"$work/$name.log" 2>&1 &
  elif $tls; then
    taskset -c "$cpu_server" dotnet bench/Kestrel.Hello/bin/Release/net10.0/Kestrel.Hello.dll --keep-alive-seconds "$keep_alive" \
      --https-port "${port[$name]}" --certfile "$cert_file" --keyfile "$key_file" >"$work/$name.log" 2>&1 &
  elif [[ $protocol == h2 ]]; then
    taskset -c "$cpu_server" dotnet bench/Kestrel.Hello/bin/Release/net10.0/Kestrel.Hello.dll --keep-alive-seconds "$keep_alive" \
      --http-port "${port[$name]}" --h2c-port "${h2_port[$name]}" >"$work/$name.log" 2>&1 &
  else
    taskset -c "$cpu_server" dotnet bench/Kestrel.Hello/bin/Release/net10.0/Kestrel.Hello.dll --keep-alive-seconds "$keep_alive" \
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
declare -A rps_sum rps_runs bytes_sum errors cpu_sum
declare -A idle_base_sum idle_with_sum idle_per_sum idle_held_sum idle_runs
handshake_connections=100
clock_ticks=$(getconf CLK_TCK)

# The URL path and wrk options of each HTTP/1.1 request scenario.
path_of() { case "$1" in json) echo /json ;; echo) echo /echo ;; *) echo / ;; esac; }

run_wrk() { # name scenario seconds -> load tool output on stdout
  local url="$scheme://127.0.0.1:${port[$1]}$(path_of "$2")"
  if $http2; then
    local c=${2#h2-c}; c=${c%%-*}; local m=${2##*-m}
    # h2c goes to Kestrel's HTTP/2-only port; over TLS, ALPN picks h2 on the one HTTPS port.
    $tls || url="http://127.0.0.1:${h2_port[$1]}/"
    taskset -c "$cpu_client" h2load -t1 -c"$c" -m"$m" -D "$3" "$url"
    return
  fi
  local args=(-t1 -c"$connections" -d"${3}s" --timeout 5s)
  # Both servers then close after each response, and wrk opens a new connection (a full handshake) for the next.
  [[ $2 == handshake ]] && args=(-t1 -c"$handshake_connections" -d"${3}s" --timeout 5s -H "Connection: close")
  case "$2" in
    pipelined) taskset -c "$cpu_client" wrk "${args[@]}" -s bench/pipeline.lua "$url" -- "$pipeline_depth" ;;
    echo) taskset -c "$cpu_client" wrk "${args[@]}" -s bench/echo.lua "$url" -- "$echo_bytes" ;;
    *) taskset -c "$cpu_client" wrk "${args[@]}" "$url" ;;
  esac
}

# tls-handshakes: $handshake_clients `openssl s_time -new` loops side by side, each opening a connection, doing a full
# handshake (no session is offered again) and closing it. Prints "handshakes seconds failures".
run_handshakes() { # name seconds
  local started ended i n total=0 failures=0 clients=()
  started=$(date +%s.%N)
  for i in $(seq 1 "$handshake_clients"); do
    taskset -c "$cpu_client" openssl s_time -connect "127.0.0.1:${port[$1]}" -new -time "$2" >"$work/s_time.$i" 2>&1 &
    clients+=("$!")
  done
  for i in "${clients[@]}"; do wait "$i" || failures=$(( failures + 1 )); done
  ended=$(date +%s.%N)
  for i in $(seq 1 "$handshake_clients"); do
    # "N connections in T real seconds, ..." (T is whole seconds, so the rate uses our own clock)
    n=$(awk '/connections in .* real seconds/ {print $1}' "$work/s_time.$i")
    total=$(( total + ${n:-0} ))
    failures=$(( failures + $(grep -ci 'error' "$work/s_time.$i" || true) ))
  done
  echo "$total $(awk -v a="$started" -v b="$ended" 'BEGIN {print b - a}') $failures"
}

allocated() { curl -sk --max-time 2 "$scheme://127.0.0.1:${port[$1]}/_bench/allocated" || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/${pid_of[$1]}/stat"; }  # user + system time of the server process
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/${pid_of[$1]}/status"; }
open_fds() { ls "/proc/${pid_of[$1]}/fd" | wc -l; }
# A full compacting collection in the server (GET /_bench/gc), then a second for the memory to be given back.
settle() { curl -sk --max-time 30 "$scheme://127.0.0.1:${port[$1]}/_bench/gc" >/dev/null || true; sleep 1; }

# idle-memory: resident memory after settling, before and while bench/idle_connections.py holds $idle_connections
# keep-alive connections (one request answered on each, then idle). Records base/with/per-connection for the round.
measure_idle() { # name round
  local name=$1 base with held fds_before fds_after line=
  settle "$name"
  base=$(rss_kib "$name"); fds_before=$(open_fds "$name")
  local tls_flag=(); $tls && tls_flag=(--tls)
  coproc IDLE { exec taskset -c "$cpu_client" /usr/bin/python3 bench/idle_connections.py 127.0.0.1 "${port[$name]}" "$idle_connections" "${tls_flag[@]}" 2>"$work/idle.err"; }
  local idle_pid=$IDLE_PID idle_in=${IDLE[1]}
  pids+=("$idle_pid")
  read -t 600 -r line <&"${IDLE[0]}" || true
  held=${line#ready }
  settle "$name"
  with=$(rss_kib "$name"); fds_after=$(open_fds "$name")
  eval "exec ${idle_in}>&-"  # EOF on the client's stdin: it closes its connections and exits
  wait "$idle_pid" 2>/dev/null || true
  if [[ ! $held =~ ^[0-9]+$ || $held -eq 0 ]]; then
    echo "warning: idle-memory client held no connection to $name: $(head -c 300 "$work/idle.err")" >&2
    errors[$name/idle-memory]=$(( ${errors[$name/idle-memory]:-0} + 1 ))
    return
  fi
  if (( held < idle_connections )); then
    errors[$name/idle-memory]=$(( ${errors[$name/idle-memory]:-0} + idle_connections - held ))
  fi
  local key=$name/idle-memory
  idle_base_sum[$key]=$(( ${idle_base_sum[$key]:-0} + base ))
  idle_with_sum[$key]=$(( ${idle_with_sum[$key]:-0} + with ))
  idle_held_sum[$key]=$(( ${idle_held_sum[$key]:-0} + fds_after - fds_before ))
  idle_per_sum[$key]=$(awk -v s="${idle_per_sum[$key]:-0}" -v d=$(( with - base )) -v n="$held" 'BEGIN {print s + d / n}')
  idle_runs[$key]=$(( ${idle_runs[$key]:-0} + 1 ))
  printf 'round %s  %-14s %-8s %8s KiB/connection  (%s connections, RSS %s -> %s KiB)\n' "$2" idle-memory "$name" \
    "$(awk -v d=$(( with - base )) -v n="$held" 'BEGIN {printf "%.1f", d / n}')" "$held" "$base" "$with"
}

echo "== warm-up (${warmup}s per server and scenario)"
for name in "${active[@]}"; do
  for scenario in "${scenarios[@]}"; do
    case "$scenario" in
      idle-memory) ;;
      tls-handshakes) run_handshakes "$name" "$warmup" >/dev/null ;;
      *) run_wrk "$name" "$scenario" "$warmup" >/dev/null ;;
    esac
  done
done

for round in $(seq 1 "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    for name in "${active[@]}"; do
      if [[ $scenario == idle-memory ]]; then measure_idle "$name" "$round"; continue; fi
      before=$(allocated "$name")
      cpu_before=$(cpu_ticks "$name"); started=$(date +%s.%N)
      if [[ $scenario == tls-handshakes ]]; then
        read -r requests seconds bad < <(run_handshakes "$name" "$duration")
        rps=$(awk -v n="$requests" -v s="$seconds" 'BEGIN {printf "%.2f", n / s}')
      else
        out=$(run_wrk "$name" "$scenario" "$duration")
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
      fi
      ended=$(date +%s.%N); cpu_after=$(cpu_ticks "$name")
      after=$(allocated "$name")
      key="$name/$scenario"
      rps_sum[$key]=$(awk -v a="${rps_sum[$key]:-0}" -v b="${rps:-0}" 'BEGIN {print a + b}')
      rps_runs[$key]=$(( ${rps_runs[$key]:-0} + 1 ))
      errors[$key]=$(( ${errors[$key]:-0} + bad ))
      # Server CPU in cores (1.00 = its pinned core fully busy): tells a server-bound run from a client-bound one.
      cpu_sum[$key]=$(awk -v s="${cpu_sum[$key]:-0}" -v t=$(( cpu_after - cpu_before )) -v hz="$clock_ticks" -v a="$started" -v b="$ended" \
        'BEGIN {print s + t / hz / (b - a)}')
      if [[ $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ && ${requests:-0} -gt 0 ]]; then
        bytes_sum[$key]=$(awk -v s="${bytes_sum[$key]:-0}" -v d=$(( after - before )) -v n="$requests" 'BEGIN {print s + d / n}')
      fi
      printf 'round %s  %-14s %-8s %12s req/s  errors %s\n' "$round" "$scenario" "$name" "${rps:-?}" "$bad"
    done
  done
done

# ---- report ------------------------------------------------------------------------------------------------
# Whether a server resumed TLS sessions: openssl reconnects 5 times offering the last session (TLS 1.3 tickets).
# 0 means every handshake scenario request was a full handshake.
resumed() { echo | timeout 10 openssl s_client -connect "127.0.0.1:${port[$1]}" -reconnect 2>/dev/null | grep -c '^Reused' || true; }
mean() { awk -v s="$1" -v n="$2" 'BEGIN {printf "%.0f", s / n}'; }
request_scenarios=(); for scenario in "${scenarios[@]}"; do [[ $scenario != idle-memory ]] && request_scenarios+=("$scenario"); done
report=$results_dir/latest.md
[[ $protocol != h1 ]] && report=$results_dir/latest-$protocol.md
{
  echo "# Hyper vs Kestrel: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(uname -sr)"
  echo "- .NET SDK $(dotnet --version); Hyper backend: \`$backend\`$($hyper_ready_to_run && echo ', ReadyToRun publish')$([[ -n $hyper_env ]] && echo "; Hyper environment: \`$hyper_env\`")"
  echo "- both servers: keep-alive timeout ${keep_alive}s; GC: Hyper workstation (console default), Kestrel server GC (Web SDK default), one heap each on one pinned core"
  if [[ ${#request_scenarios[@]} -eq 0 ]]; then
    echo "- servers pinned to CPU $cpu_server, clients to CPU $cpu_client; $rounds rounds, A B A B"
  elif $http2; then
    transport="h2c, prior knowledge"; $tls && transport="https, ALPN h2"
    echo "- servers pinned to CPU $cpu_server, h2load to CPU $cpu_client; h2load -t1 -D ${duration}s ($transport); $rounds rounds, A B A B; h2-cC-mM = C connections, M concurrent streams each"
  else
    echo "- servers pinned to CPU $cpu_server, wrk to CPU $cpu_client; wrk -t1 -c$connections -d${duration}s ($scheme); $rounds rounds, A B A B; pipelined = $pipeline_depth requests per write; echo = POST of $echo_bytes bytes echoed back"
  fi
  if $tls; then
    echo "- TLS: one self-signed ECDSA P-256 certificate for both servers (openssl req); the platform's defaults on both (TLS 1.3)"
    for name in "${active[@]}"; do echo "- $name resumed $(resumed "$name") of 5 TLS sessions offered by \`openssl s_client -reconnect\`"; done
    has_scenario handshake && echo "- handshake: wrk -c$handshake_connections -H 'Connection: close': a new TCP connection and TLS handshake per request; requests/s = handshakes/s"
    has_scenario tls-handshakes && echo "- tls-handshakes: $handshake_clients parallel \`openssl s_time -new\` (connect, full handshake, close; no request); requests/s = handshakes/s"
  fi
  echo "- bytes/request: process allocations during the run (GC.GetTotalAllocatedBytes) / requests served; server CPU: cores the server process used during the run (1.00 = its core saturated)"
  echo
  if [[ ${#request_scenarios[@]} -gt 0 ]]; then
    echo "| scenario | server | requests/s (mean) | bytes allocated/request | server CPU | errors |"
    echo "|---|---|---:|---:|---:|---:|"
    for scenario in "${request_scenarios[@]}"; do
      for name in "${active[@]}"; do
        key="$name/$scenario"
        b=${bytes_sum[$key]:-}
        [[ -n $b ]] && b=$(awk -v s="$b" -v n="${rps_runs[$key]}" 'BEGIN {printf "%.0f", s / n}') || b=n/a
        echo "| $scenario | $name | $(mean "${rps_sum[$key]}" "${rps_runs[$key]}") | $b | $(awk -v s="${cpu_sum[$key]}" -v n="${rps_runs[$key]}" 'BEGIN {printf "%.2f", s / n}') | ${errors[$key]} |"
      done
    done
    echo
  fi
  if has_scenario idle-memory; then
    echo "Idle keep-alive connections: $idle_connections opened by bench/idle_connections.py ($scheme), one \`GET /\` answered on each, then held idle; resident memory (VmRSS) read after \`GET /_bench/gc\` (full compacting collection) before and while they are held."
    echo
    echo "| server | RSS before (MiB) | RSS holding (MiB) | KiB per idle connection | sockets held | errors |"
    echo "|---|---:|---:|---:|---:|---:|"
    for name in "${active[@]}"; do
      key=$name/idle-memory
      n=${idle_runs[$key]:-0}
      if (( n == 0 )); then echo "| $name | n/a | n/a | n/a | n/a | ${errors[$key]:-0} |"; continue; fi
      echo "| $name | $(awk -v s="${idle_base_sum[$key]}" -v n="$n" 'BEGIN {printf "%.1f", s / n / 1024}') | $(awk -v s="${idle_with_sum[$key]}" -v n="$n" 'BEGIN {printf "%.1f", s / n / 1024}') | $(awk -v s="${idle_per_sum[$key]}" -v n="$n" 'BEGIN {printf "%.1f", s / n}') | $(( ${idle_held_sum[$key]} / n )) | ${errors[$key]:-0} |"
    done
    echo
  fi
  if wants hyper && wants kestrel; then
    # Per server CPU-second: requests/s divided by the server's CPU use; it still compares the servers when the
    # client, not the server, is the bottleneck (server CPU well under 1.00).
    echo "| scenario | Hyper / Kestrel | per server CPU-second |"
    echo "|---|---:|---:|"
    for scenario in "${request_scenarios[@]}"; do
      echo "| $scenario | $(awk -v h="${rps_sum[hyper/$scenario]}" -v k="${rps_sum[kestrel/$scenario]}" 'BEGIN {printf "%.2f", h / k}') | $(awk -v h="${rps_sum[hyper/$scenario]}" -v k="${rps_sum[kestrel/$scenario]}" -v hc="${cpu_sum[hyper/$scenario]}" -v kc="${cpu_sum[kestrel/$scenario]}" 'BEGIN {printf "%.2f", (h / hc) / (k / kc)}') |"
    done
    if has_scenario idle-memory && [[ -n ${idle_runs[hyper/idle-memory]:-} && -n ${idle_runs[kestrel/idle-memory]:-} ]]; then
      echo "| idle-memory (KiB per connection; lower is better) | $(awk -v h="${idle_per_sum[hyper/idle-memory]}" -v k="${idle_per_sum[kestrel/idle-memory]}" -v hn="${idle_runs[hyper/idle-memory]}" -v kn="${idle_runs[kestrel/idle-memory]}" 'BEGIN {printf "%.2f", (h / hn) / (k / kn)}') | |"
    fi
  else
    echo "Only ${active[*]} ran: no ratio."
  fi
} >"$report"

echo
cat "$report"
