#!/usr/bin/env bash
# Slow-client attacks with a standard tool (docs/security.md, rows SL-01…SL-03): slowhttptest (Debian package
# slowhttptest) runs slowloris (-H), slow body (-B) and slow read (-X) against `hyper` serving samples/Hello on
# each backend, with the slow-client timeouts lowered to 2 s, while a normal client (curl, one new connection per
# request, every 100 ms) measures latency. For each run it reports the normal client's p50/p99 and failures, whether
# slowhttptest's own probe ever found the service unavailable, how long attack connections lived, and how much the
# server's resident memory grew. Loopback only; every loop is bounded by the run length; nothing else depends on it.
#
# Usage: bench/slow-clients.sh [--backends a,b,c] [--modes slowloris,slow-body,slow-read] [--connections N]
#                              [--duration S] [--rate N]
# Writes bench/results/slow-clients.md, and beside it slowhttptest's CSVs and the server's connection count per second. Exit code 1 when a run breaks a
# requirement: p99 over 50 ms, a failed normal request, attack connections alive past timeout + 1 s, memory growth
# of 64 MiB or more.
set -euo pipefail

backends=thread-pool,single-thread-loop,structured
modes=slowloris,slow-body,slow-read
connections=500
duration=30
rate=250
timeout=2
port=${SLOW_CLIENTS_PORT:-18090}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --backends) backends=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

command -v slowhttptest >/dev/null || { echo "slowhttptest not found: apt-get install slowhttptest" >&2; exit 2; }
cd "$(dirname "$0")/.."
results=bench/results
mkdir -p "$results"
work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build samples/Hello -c Release -v q -nologo >/dev/null
dotnet build Hyper.Cli -c Release -v q -nologo >/dev/null
url=http://127.0.0.1:$port/

# Attack connections as the server sees them: established TCP connections on its port (the kernel's view, so a
# connection the server closed no longer counts even while the client has not read its FIN yet).
server_connections() { ss -Htn state established "( sport = :$port )" | wc -l; }

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

start_server() {
  # Every slow-client limit at 2 s: headers (slowloris), body rate grace (slow body), response rate grace (slow read).
  env HYPER_REQUEST_HEADERS_TIMEOUT=$timeout HYPER_MIN_REQUEST_BODY_RATE_GRACE=$timeout \
      HYPER_MIN_RESPONSE_RATE_GRACE=$timeout HYPER_KEEP_ALIVE_TIMEOUT=$timeout HYPER_LOGLEVEL=warning \
    dotnet Hyper.Cli/bin/Release/net10.0/hyper.dll samples/Hello/bin/Release/net10.0/Hello.dll:Hello.HelloApp \
      --bind "127.0.0.1:$port" --worker-class "$1" >"$work/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    curl -fs -o /dev/null "$url" && return 0
    sleep 0.1
  done
  echo "hyper ($1) did not answer; log:" >&2
  cat "$work/server-$1.log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# The normal client: one request every 100 ms on a new connection, for the whole run; prints "code seconds" lines.
probe() {
  local until=$((SECONDS + $1))
  while (( SECONDS < until )); do
    curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}\n' "$url" || echo "000 5"
    sleep 0.1
  done
}

# slowloris: a header line every second, never the end of the head (request_headers_timeout, 408).
# slow body: a POST to /echo (which reads its body) declaring 64 KiB and sending ~10 bytes a second
#   (min_request_body_rate after its grace, 408).
# slow read: GET /bytes (4 MiB) advertising a 1–32 byte window and reading 4 bytes a second (min_response_rate).
attack_args() {
  case "$1" in
    slowloris) echo "-H -i 1 -x 24 -u ${url}" ;;
    slow-body) echo "-B -i 1 -s 65536 -x 10 -u ${url}echo" ;;
    slow-read) echo "-X -k 1 -n 1 -w 1 -y 32 -z 4 -u ${url}bytes?n=4194304" ;;
  esac
}

report=$results/slow-clients.md
{
  echo "# Slow clients: slowhttptest against hyper"
  echo
  echo "- $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; slowhttptest $(slowhttptest -h 2>&1 | sed -n 's/.*version \([0-9.]*\).*/\1/p'); .NET SDK $(dotnet --version)"
  echo "- $connections attack connections at $rate/s, ${duration} s per run; slow-client timeouts ${timeout} s; normal client: curl, new connection every 100 ms"
  echo
  echo "| backend | attack | normal requests | failed | p50 ms | p99 ms | slowhttptest probe unavailable (s) | peak connections (server) | last second with attack connections open | RSS before → peak (MiB) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} >"$report"

failed=0
IFS=, read -r -a backend_list <<<"$backends"
IFS=, read -r -a mode_list <<<"$modes"
for backend in "${backend_list[@]}"; do
  for mode in "${mode_list[@]}"; do
    start_server "$backend"
    rss_before=$(rss_kib "$server_pid")
    rss_peak=$rss_before
    probe "$duration" >"$work/probe.txt" &
    probe_pid=$!
    # shellcheck disable=SC2046
    slowhttptest $(attack_args "$mode") -c "$connections" -r "$rate" -l "$duration" -p 3 -g \
      -o "$work/$backend-$mode" >"$work/attack-$backend-$mode.log" 2>&1 &
    attack_pid=$!
    started=$SECONDS
    : >"$work/connections.txt"
    while kill -0 "$attack_pid" 2>/dev/null; do
      rss=$(rss_kib "$server_pid"); (( rss > rss_peak )) && rss_peak=$rss
      echo "$((SECONDS - started)) $(server_connections)" >>"$work/connections.txt"
      sleep 1
    done
    wait "$attack_pid" || true
    wait "$probe_pid" || true
    stop_server
    cp "$work/$backend-$mode.csv" "$results/slow-clients-$backend-$mode.csv"
    cp "$work/connections.txt" "$results/slow-clients-$backend-$mode-server-connections.txt"

    # Normal client: count, failures (not 200), p50 and p99 of time_total.
    read -r total fails p50 p99 < <(sort -k2,2g "$work/probe.txt" | awk '{ n++; if ($1 != "200") f++; t[n] = $2 * 1000 }
      END { i50 = int(n * 0.50 + 0.5); i99 = int(n * 0.99 + 0.5); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1;
            printf "%d %d %.1f %.1f\n", n, f + 0, t[i50], t[i99] }')
    # slowhttptest's CSV: seconds,closed,pending,connected,service_available (0 when its probe got no answer in 3 s).
    unavailable=$(awk -F, 'NR > 1 && $5 == 0 { u++ } END { print u + 0 }' "$work/$backend-$mode.csv")
    # The server's side: the most attack connections open at once, and the last second any were (more than the
    # normal client's one or two). They are opened in the first connections/rate seconds, and each must be closed
    # within timeout + 1 s of opening.
    read -r peak last_open < <(awk '{ if ($2 > p) p = $2; if ($2 > 2) l = $1 } END { printf "%d %d\n", p, l }' "$work/connections.txt")
    deadline=$(( (connections + rate - 1) / rate + timeout + 1 ))
    grow_mib=$(( (rss_peak - rss_before) / 1024 ))
    echo "| $backend | $mode | $total | $fails | $p50 | $p99 | $unavailable | $peak | $last_open (limit $deadline) | $((rss_before / 1024)) → $((rss_peak / 1024)) |" >>"$report"
    if (( fails > 0 || last_open > deadline || grow_mib >= 64 )) || awk -v p="$p99" 'BEGIN { exit !(p > 50) }'; then
      failed=1
    fi
  done
done
cat "$report"
exit $failed
