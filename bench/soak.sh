#!/usr/bin/env bash
# Soak run (issue #16): the README's server (samples/Hello on the hyper CLI) under a mixed, rotating load for a long
# time, with its resident memory sampled every few seconds. It answers two questions a short benchmark cannot: does
# memory settle (no leak per request, per connection or per stream), and does the server keep answering correctly?
#
# The load rotates every --slice seconds through:
#   h1        wrk, HTTP/1.1 keep-alive GET / (64 connections)
#   h1-churn  wrk with Connection: close (a new TCP connection per request)
#   h1-echo   wrk POST /echo with a 4 KiB body
#   h2        h2load, HTTP/2 prior knowledge, 32 connections x 16 streams, GET / and /json
#   h2-big    h2load, GET /stream (a streamed response) over 8 connections
# Between slices the server is asked for a garbage collection (/_bench/gc) so that the sample after it is the live
# size, not the garbage not yet collected. The server is pinned to CPU 0, the load to CPU 1.
#
# Verdict: the live size after the first full rotation is the baseline; the run fails (exit 1) if the live size at
# the end is more than --max-growth percent above it, if any load reported errors or non-2xx answers, or if the
# server stopped answering. Results go to bench/results/soak-BACKEND.md and a CSV of every sample beside it.
#
# Usage: bench/soak.sh [--backend thread-pool|single-thread-loop|structured] [--minutes M] [--slice S]
#                      [--max-growth PCT] [--port P]
set -euo pipefail

backend=thread-pool
minutes=10
slice=20
max_growth=15
port=${SOAK_PORT:-18090}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) backend=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --slice) slice=$2; shift 2 ;;
    --max-growth) max_growth=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

cd "$(dirname "$0")/.."
root=$(pwd)
results_dir=$root/bench/results
mkdir -p "$results_dir"
work=$(mktemp -d)
for tool in wrk h2load taskset curl dotnet; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (apt-get install -y wrk nghttp2-client util-linux curl)" >&2; exit 69; }
done

server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building..." >&2
{ dotnet build samples/Hello -c Release -v q -nologo && dotnet build Hyper.Cli -c Release -v q -nologo; } >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }

base=http://127.0.0.1:$port
# Only this process is stopped at the end, by its PID. Over HTTP/2 no per-connection request cap (h2load does not
# reconnect after a GOAWAY).
taskset -c 0 dotnet Hyper.Cli/bin/Release/net10.0/hyper.dll samples/Hello/bin/Release/net10.0/Hello.dll:Hello.HelloApp \
  --bind "127.0.0.1:$port" --worker-class "$backend" --keep-alive 30 --set keep_alive_max_requests=2000000000 \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "$base/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$base/" >/dev/null || { echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }
live_kib() {
  curl -fsS "$base/_bench/gc" >/dev/null 2>&1 || true
  sleep 0.5
  rss_kib
}

csv=$results_dir/soak-$backend.csv
echo "elapsed_s,slice,rss_kib,live_kib,errors" >"$csv"
cat >"$work/echo.lua" <<LUA
wrk.method = "POST"
wrk.body = string.rep("x", 4096)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA

errors=0
# Counts socket errors and non-2xx answers out of a wrk report ("Socket errors: connect 0, read 0, ...",
# "Non-2xx or 3xx responses: N") or an h2load one ("requests: ... N failed, N errored", "status codes: N 2xx, N 3xx,
# N 4xx, N 5xx").
count_errors() { # file
  awk '
    /Non-2xx or 3xx responses:/ { n += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i + 0 }
    /^requests:/ { for (i = 1; i <= NF; i++) if ($i == "failed," || $i == "errored,") n += $(i - 1) }
    /^status codes:/ { for (i = 1; i <= NF; i++) if ($i == "4xx," || $i == "5xx") n += $(i - 1) }
    END { print n + 0 }' "$1"
}

run_slice() { # name log
  case "$1" in
    h1) taskset -c 1 wrk -t1 -c64 -d"${slice}s" "$base/" ;;
    h1-churn) taskset -c 1 wrk -t1 -c16 -d"${slice}s" -H 'Connection: close' "$base/json" ;;
    h1-echo) taskset -c 1 wrk -t1 -c32 -d"${slice}s" -s "$work/echo.lua" "$base/echo" ;;
    h2) taskset -c 1 h2load -c32 -m16 -D"$slice" "$base/" "$base/json" ;;
    h2-big) taskset -c 1 h2load -c8 -m4 -D"$slice" "$base/stream" ;;
  esac >"$2" 2>&1 || true
}

slices=(h1 h1-churn h1-echo h2 h2-big)
start=$SECONDS
deadline=$((start + minutes * 60))
baseline=
round=0
echo "soaking $backend for $minutes min (slices of ${slice}s: ${slices[*]})" >&2
while ((SECONDS < deadline)); do
  for name in "${slices[@]}"; do
    ((SECONDS < deadline)) || break
    log=$work/$name-$round.log
    run_slice "$name" "$log"
    e=$(count_errors "$log")
    errors=$((errors + e))
    kill -0 "$server_pid" 2>/dev/null || { echo "the server exited during $name" >&2; tail -20 "$work/server.log" >&2; exit 1; }
    rss=$(rss_kib)
    live=$(live_kib)
    echo "$((SECONDS - start)),$name,$rss,$live,$e" >>"$csv"
    echo "  t=$((SECONDS - start))s $name rss=${rss}KiB live=${live}KiB errors=$e" >&2
  done
  round=$((round + 1))
  [[ -n $baseline ]] || baseline=$(live_kib)
done

final=$(live_kib)
answers=$(curl -fsS "$base/" || echo "no answer")
growth=$(( baseline > 0 ? (final - baseline) * 100 / baseline : 0 ))
peak=$(tail -n +2 "$csv" | cut -d, -f3 | sort -n | tail -1)
verdict=pass
((growth <= max_growth)) || verdict="fail: live size grew ${growth}% (limit ${max_growth}%)"
((errors == 0)) || verdict="fail: $errors errors or non-2xx answers"
[[ $answers == "Hello, World!" ]] || verdict="fail: the server stopped answering ($answers)"

{
  echo "# Soak: $backend, $minutes min, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| rounds of ${slices[*]} (${slice}s each) | $round |"
  echo "| live size after the first round | ${baseline} KiB |"
  echo "| live size at the end | ${final} KiB |"
  echo "| growth | ${growth}% (limit ${max_growth}%) |"
  echo "| peak resident size | ${peak} KiB |"
  echo "| errors and non-2xx answers | $errors |"
  echo "| verdict | $verdict |"
  echo
  echo "Every sample: \`bench/results/soak-$backend.csv\`."
} >"$results_dir/soak-$backend.md"
cat "$results_dir/soak-$backend.md"
[[ $verdict == pass ]]
