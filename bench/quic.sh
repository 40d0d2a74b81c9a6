#!/usr/bin/env bash
# QuicServer (bench/Quic.Server) against ngtcp2's gtlsserver on the same machine, both driven by gtlsclient:
# handshakes per second (each a full handshake + one small request, 4 clients at a time), 1 MB download time, and
# memory per idle connection. Needs the ngtcp2-client and ngtcp2-server packages and openssl.
#   bench/quic.sh [BACKEND] [HANDSHAKES] [IDLE_CONNECTIONS]
set -euo pipefail
backend=${1:-thread-pool}
handshakes=${2:-200}
idle=${3:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/htdocs"
head -c 1000000 /dev/urandom > "$work/htdocs/big.bin"
head -c 100 /dev/urandom > "$work/htdocs/small"

dotnet build "$root/bench/Quic.Server/Quic.Server.csproj" -c Release -v q -nologo >/dev/null
hyper_port=44330; ngtcp2_port=44331; hyper_big_port=44332
# Quic.Server answers every request with one fixed body, so one instance serves 100 bytes (like /small) and a second
# 1 MB (like /big.bin).
mkfifo "$work/hyper.in" "$work/hyper-big.in"
dotnet "$root/bench/Quic.Server/bin/Release/net10.0/Quic.Server.dll" "$backend" $hyper_port "$work/cert.pem" "$work/key.pem" 100 \
  < "$work/hyper.in" > "$work/hyper.out" 2>&1 &
pids+=($!); hyper_pid=$!
exec 9> "$work/hyper.in"
dotnet "$root/bench/Quic.Server/bin/Release/net10.0/Quic.Server.dll" "$backend" $hyper_big_port "$work/cert.pem" "$work/key.pem" 1000000 \
  < "$work/hyper-big.in" > "$work/hyper-big.out" 2>&1 &
pids+=($!)
exec 8> "$work/hyper-big.in"
/usr/sbin/gtlsserver -q -d "$work/htdocs" 127.0.0.1 $ngtcp2_port "$work/key.pem" "$work/cert.pem" > /dev/null 2>&1 &
pids+=($!); ngtcp2_pid=$!
for _ in $(seq 100); do grep -q ready "$work/hyper.out" 2>/dev/null && grep -q ready "$work/hyper-big.out" 2>/dev/null && break; sleep 0.1; done

cpu_ms() { awk '{print ($14 + $15) * 1000 / 100}' "/proc/$1/stat"; }   # utime + stime, at 100 ticks/s
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
client() { timeout 20 gtlsclient -q --exit-on-all-streams-close --timeout=10s "$@" 2>&1; }

handshake_rate() { # port pid
  local start end cpu0 cpu1
  cpu0=$(cpu_ms "$2"); start=$(date +%s.%N)
  seq "$handshakes" | xargs -P 4 -I{} timeout 20 gtlsclient -q --exit-on-all-streams-close --timeout=10s 127.0.0.1 "$1" "https://127.0.0.1:$1/small" >/dev/null 2>&1
  end=$(date +%s.%N); cpu1=$(cpu_ms "$2")
  awk -v n="$handshakes" -v s="$start" -v e="$end" -v c0="$cpu0" -v c1="$cpu1" \
    'BEGIN { printf "%.0f handshakes/s (wall), %.2f ms server CPU per connection", n / (e - s), (c1 - c0) / n }'
}

download_ms() { # port
  local best=999999 t0 t1 ms
  for _ in 1 2 3 4 5; do
    rm -f "$work/dl/big.bin"; mkdir -p "$work/dl"
    t0=$(date +%s%N); client --download="$work/dl" 127.0.0.1 "$1" "https://127.0.0.1:$1/big.bin" >/dev/null; t1=$(date +%s%N)
    [ "$(stat -c %s "$work/dl/big.bin")" = 1000000 ] || { echo "download incomplete"; return; }
    ms=$(( (t1 - t0) / 1000000 )); [ $ms -lt $best ] && best=$ms
  done
  echo "$best ms (best of 5, including gtlsclient start and handshake)"
}

idle_memory() { # port pid
  local before after cps=()
  before=$(rss_kb "$2")
  for _ in $(seq "$idle"); do
    timeout 40 gtlsclient -q --timeout=30s 127.0.0.1 "$1" "https://127.0.0.1:$1/small" >/dev/null 2>&1 & cps+=($!)
  done
  sleep 8
  after=$(rss_kb "$2")
  if [ "$2" = "$hyper_pid" ]; then echo mem >&9; sleep 2; heap=$(grep heap "$work/hyper.out" | tail -1); fi
  for p in "${cps[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${cps[@]}" 2>/dev/null || true
  awk -v b="$before" -v a="$after" -v n="$idle" 'BEGIN { printf "%.1f KiB RSS per idle connection", (a - b) / n }'
}

echo "backend $backend, $(nproc) cores"
# Warm-up: the first few hundred handshakes run the managed code before tiered JIT has optimised it (about 18 ms of
# CPU per connection in the first hundred, 2 ms from the third); measure the steady state, as for the native peer.
seq 300 | xargs -P 4 -I{} timeout 20 gtlsclient -q --exit-on-all-streams-close --timeout=10s 127.0.0.1 $hyper_port "https://127.0.0.1:$hyper_port/small" >/dev/null 2>&1
echo mem >&9; sleep 2; base_heap=$(grep heap "$work/hyper.out" | tail -1 | awk '{print $2}')
h=$(handshake_rate $hyper_port $hyper_pid); n=$(handshake_rate $ngtcp2_port $ngtcp2_pid)
echo "handshakes  hyper: $h | gtlsserver: $n"
echo "1 MB        hyper: $(download_ms $hyper_big_port) | gtlsserver: $(download_ms $ngtcp2_port)"
hi=$(idle_memory $hyper_port $hyper_pid)
heap_line=$(grep heap "$work/hyper.out" | tail -1)
ni=$(idle_memory $ngtcp2_port $ngtcp2_pid)
heap_per=$(echo "$heap_line" | awk -v b="$base_heap" -v n="$idle" '{printf "%.1f KiB managed heap per connection", ($2 - b) / n / 1024}')
echo "idle        hyper: $hi, $heap_per | gtlsserver: $ni"
