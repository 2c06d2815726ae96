#!/usr/bin/env bash
# bench/kiln-cc-hit.sh [N] - a cache hit as the build tool sees it (process start to exit) for one
# lua TU (lvm.c): `kiln-cc gcc -c` answered from the proxy's local output cache (the native front
# called directly, through bin/kiln-cc, and bin/kiln-cc's bash-only path), and from the
# farm's cache (a second proxy with the output cache off), vs a warm local `ccache gcc -c` vs plain
# `gcc -c`; N runs each (after WARMUP=30 unmeasured runs per proxy), median and p90.
# Starts `bin/kiln up` and two `bin/kiln proxy`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-50}
port=${PORT:-5079}; pport=${PROXY_PORT:-8089}; fport=$((pport + 1))
tmp=$(mktemp -d /tmp/kiln-bench-hit.XXXXXX)
export BENCH_DIR=${BENCH_DIR:-/tmp/kiln-workloads}
src=$(bash "$root/bench/workloads.sh" dir lua)/src
cp "$src"/*.c "$src"/*.h "$tmp/"
"$root/bin/kiln" up --port "$port" --workers 1 --data-dir "$tmp/farm" > "$tmp/farm.log" 2>&1 & farm=$!
# Two proxies: one with the local output cache (the default), one without (every hit is a farm hit).
KILN_SERVER=127.0.0.1:$port "$root/bin/kiln" proxy --port "$pport" --server "127.0.0.1:$port" --output-cache-dir "$tmp/outputs" > "$tmp/proxy.log" 2>&1 & proxy=$!
KILN_SERVER=127.0.0.1:$port "$root/bin/kiln" proxy --port "$fport" --server "127.0.0.1:$port" --output-cache-mb 0 > "$tmp/proxy-farm.log" 2>&1 & fproxy=$!
trap 'kill $farm $proxy $fproxy 2>/dev/null; wait 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && curl -sf "http://127.0.0.1:$pport/healthz" >/dev/null && curl -sf "http://127.0.0.1:$fport/healthz" >/dev/null && break; sleep 1; done
cd "$tmp"
args=(gcc -std=gnu99 -O2 -DLUA_USE_LINUX -c lvm.c -o lvm.o)
export KILN_PROXY_PORT=$pport KILN_NO_AUTOSTART=1 CCACHE_DIR=$tmp/ccache
"$root/bin/kiln-cc" "${args[@]}"; ccache "${args[@]}"          # fill the caches
# The proxies are long-lived (they serve a whole day of builds): let their JIT warm up first.
for _ in $(seq "${WARMUP:-30}"); do
  "$root/bin/kiln-cc" "${args[@]}"; KILN_PROXY_PORT=$fport "$root/bin/kiln-cc" "${args[@]}"
done
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
stats() { sort -n | awk '{a[NR]=$1} END {printf "%.1f / %.1f", a[int((NR+1)/2)]/1000, a[int(NR*0.9)]/1000}'; }
for variant in kiln-cc-native kiln-cc kiln-cc-bash kiln-cc-farm ccache plain; do
  samples=()
  for _ in $(seq "$n"); do
    case $variant in
      kiln-cc-native) samples+=("$(time_ms "$root/client/target/kiln-cc-native" "${args[@]}")") ;;
      kiln-cc) samples+=("$(time_ms "$root/bin/kiln-cc" "${args[@]}")") ;;
      kiln-cc-bash) samples+=("$(KILN_CC_NO_NATIVE=1 time_ms "$root/bin/kiln-cc" "${args[@]}")") ;;
      kiln-cc-farm) samples+=("$(KILN_PROXY_PORT=$fport time_ms "$root/bin/kiln-cc" "${args[@]}")") ;;
      ccache) samples+=("$(time_ms ccache "${args[@]}")") ;;
      plain) samples+=("$(time_ms "${args[@]}")") ;;
    esac
  done
  printf '%s\n' "${samples[@]}" | stats > "$tmp/$variant.txt"
done
echo "machine: $(nproc) cores, $(gcc --version | head -1), $(ccache --version | head -1)"
echo "| variant (lua lvm.c, -O2) | p50 / p90 ms |"
echo "|---|---|"
echo "| kiln-cc native front called directly (CC=client/target/kiln-cc-native), local output cache hit | $(cat "$tmp/kiln-cc-native.txt") |"
echo "| kiln-cc (bin/kiln-cc, execs the native front), local output cache hit | $(cat "$tmp/kiln-cc.txt") |"
echo "| kiln-cc, local output cache hit, bash wrapper (KILN_CC_NO_NATIVE=1) | $(cat "$tmp/kiln-cc-bash.txt") |"
echo "| kiln-cc, farm cache hit (output cache off) | $(cat "$tmp/kiln-cc-farm.txt") |"
echo "| ccache, warm local hit | $(cat "$tmp/ccache.txt") |"
echo "| plain gcc -c | $(cat "$tmp/plain.txt") |"
curl -s "http://127.0.0.1:$pport/statz?format=json"; curl -s "http://127.0.0.1:$fport/statz?format=json"
