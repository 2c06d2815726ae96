#!/usr/bin/env bash
# bench/ccache-build.sh [RUNS] - lua 5.4 (34 TUs, bench/workloads.sh, make -j2) built
# with plain gcc, with ccache on local disk, and with ccache in remote-only mode against
# `bin/kiln up` (HTTP cache, layout=bazel): cold and warm each, RUNS times. Markdown table out.
# Every run uses a fresh ccache dir and, for Kiln, a fresh URL prefix (= its own cache namespace).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
wl=$root/bench/workloads.sh
runs=${1:-3}
port=${PORT:-5078}
tmp=$(mktemp -d /tmp/kiln-bench-ccache.XXXXXX)
export BENCH_DIR=${BENCH_DIR:-/tmp/kiln-workloads}

"$root/bin/kiln" up --port "$port" --workers 1 --data-dir "$tmp/farm" > "$tmp/farm.log" 2>&1 &
farm=$!
trap 'kill $farm 2>/dev/null; wait $farm 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done

timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN{printf "%.2f", b-a}'; }
build() { bash "$wl" clean lua "$1" >/dev/null 2>&1; timed bash "$wl" build lua 2 "$1"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

bash "$wl" prepare lua >/dev/null
plain=(); lcold=(); lwarm=(); kcold=(); kwarm=()
for i in $(seq "$runs"); do
  plain+=("$(build none)")
  export CCACHE_DIR=$tmp/local-$i; unset CCACHE_REMOTE_STORAGE CCACHE_REMOTE_ONLY
  lcold+=("$(build ccache)"); lwarm+=("$(build ccache)")
  export CCACHE_DIR=$tmp/remote-$i CCACHE_REMOTE_STORAGE="http://127.0.0.1:$port/run-$i-$$|layout=bazel" CCACHE_REMOTE_ONLY=true
  kcold+=("$(build ccache)"); kwarm+=("$(build ccache)")
  hits=$(ccache --print-stats | awk '$1=="remote_storage_hit"{print $2}')
  echo "run $i: plain ${plain[-1]} s, local ccache ${lcold[-1]}/${lwarm[-1]} s, Kiln ccache ${kcold[-1]}/${kwarm[-1]} s (remote hits so far: $hits)" >&2
done
row() { echo "| $1 | $2 | $(printf '%s\n' "${@:3}" | median) |"; }
echo "machine: $(nproc) cores, $(gcc --version | head -1), $(ccache --version | head -1)"
echo "| variant | runs (s) | median (s) |"
echo "|---|---|---|"
row "plain gcc, make -j2" "${plain[*]}" "${plain[@]}"
row "ccache, local disk, cold" "${lcold[*]}" "${lcold[@]}"
row "ccache, local disk, warm" "${lwarm[*]}" "${lwarm[@]}"
row "ccache through Kiln (remote only), cold" "${kcold[*]}" "${kcold[@]}"
row "ccache through Kiln (remote only), warm" "${kwarm[*]}" "${kwarm[@]}"
