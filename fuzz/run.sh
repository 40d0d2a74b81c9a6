#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) under AFL++ for SECONDS each, and prints execs, crashes, hangs and
# the slowest input AFL kept (replayed warm; over 100 ms fails).
#   fuzz/run.sh [-s SECONDS] [-t TIMEOUT_MS] [target ...]
# Needs afl++ (Debian package) and the .NET SDK; SharpFuzz's instrumenter is the local tool in fuzz/dotnet-tools.json.
# Findings go to fuzz/out/findings/<target>/ (crashes/ and hangs/ hold the inputs); the exit code is 1 when any
# target found a crash, a hang or an input slower than 100 ms. Reproduce one with:
#   dotnet fuzz/out/plain/Hyper.Fuzz.dll <target> fuzz/out/findings/<target>/default/crashes/<file>
set -euo pipefail

seconds=60
timeout_ms=2000
while getopts "s:t:" opt; do
  case $opt in
    s) seconds=$OPTARG ;;
    t) timeout_ms=$OPTARG ;;
    *) echo "usage: $0 [-s SECONDS] [-t TIMEOUT_MS] [target ...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
bin=$out/bin

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }

# Build once, then instrument the product assemblies (not the harness, not the framework) for AFL's coverage map.
rm -rf "$bin"
dotnet publish "$here/Hyper.Fuzz/Hyper.Fuzz.csproj" -c Release -o "$bin" --nologo -v quiet >/dev/null
(cd "$here" && dotnet tool restore >/dev/null)
# Instrumented code runs only under AFL (it writes to AFL's coverage map), so replays use an uninstrumented copy.
rm -rf "$out/plain"
cp -r "$bin" "$out/plain"
for dll in Hyper.Core Hyper.Http11 Hyper.Http2 Hyper.Quic hyper; do
  (cd "$here" && dotnet sharpfuzz "$bin/$dll.dll" >/dev/null)
done

targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(dotnet "$bin/Hyper.Fuzz.dll" --list)

# The .NET runtime is not AFL-instrumented itself (SharpFuzz instruments the assemblies), and a container's core
# pattern cannot be changed: tell AFL both are expected.
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1

failed=0
printf '%-28s %12s %10s %8s %6s %8s  %s\n' target execs execs/s crashes hangs corpus "slowest input (warm)"
for target in "${targets[@]}"; do
  findings=$out/findings/$target
  rm -rf "$findings"
  mkdir -p "$findings"
  HYPER_FUZZ_WARMUP=$here/corpus/$target afl-fuzz -i "$here/corpus/$target" -o "$findings" -t "$timeout_ms" -m none -V "$seconds" \
    -- dotnet "$bin/Hyper.Fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || true
  stats=$findings/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "$target: afl-fuzz did not start; see $findings/afl.log" >&2
    tail -20 "$findings/afl.log" >&2
    failed=1
    continue
  fi
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(get saved_crashes); hangs=$(get saved_hangs)
  # AFL's timeout is generous (the JIT may compile a new path mid-run); the 100 ms budget per input is checked
  # here, on everything AFL kept, with the code compiled.
  slowest=$( (dotnet "$out/plain/Hyper.Fuzz.dll" "$target" "$findings/default/queue" 2>&1 || true) | tail -1 | sed -n 's/.*slowest \([0-9.]*\) ms.*/\1/p')
  printf '%-28s %12s %10s %8s %6s %8s  %s\n' "$target" "$(get execs_done)" "$(get execs_per_sec)" "$crashes" "$hangs" "$(get corpus_count)" "${slowest:-replay failed} ms"
  if [ -z "$slowest" ] || awk -v s="$slowest" 'BEGIN { exit !(s > 100) }'; then failed=1; fi
  if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then failed=1; fi
done
exit $failed
