#!/usr/bin/env bash
# bench/kiln-cc-git.sh [RUNS] - git 2.39.5 (496 TUs, -g -O2) built through kiln-cc against a farm
# on this machine (`bin/kiln up`, 1 worker x SLOTS=4), vs the peers in the same run:
#   cold:  local `make -j2`           vs  `make -j8 CC="kiln-cc gcc"` (fresh farm and output cache)
#   warm:  ccache's warm rebuild -j8  vs  kiln-cc's warm rebuild -j8 (every compile a cache hit)
# RUNS times each (default 3), wall-clock seconds, median. Links and git's generated files are
# in every variant alike.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-3}
port=${PORT:-5081}; pport=${PROXY_PORT:-8091}
export BENCH_DIR=${BENCH_DIR:-/tmp/kiln-workloads} KILN_PROXY_PORT=$pport KILN_NO_AUTOSTART=1
w="$root/bench/workloads.sh"
tmp=$(mktemp -d /tmp/kiln-bench-git.XXXXXX)
export CCACHE_DIR=$tmp/ccache
farm=''
stop_farm() {
  "$root/bin/kiln" proxy stop --port "$pport" >/dev/null 2>&1 || true
  [ -n "$farm" ] && { kill "$farm" 2>/dev/null; wait "$farm" 2>/dev/null || true; }
  farm=''
}
trap stop_farm EXIT
fresh_farm() {
  stop_farm
  rm -rf "$tmp/farm" "$tmp/outputs"
  "$root/bin/kiln" up --port "$port" --workers 1 --slots "${SLOTS:-4}" --data-dir "$tmp/farm" > "$tmp/farm.log" 2>&1 & farm=$!
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
  "$root/bin/kiln" proxy start --port "$pport" --server "127.0.0.1:$port" --output-cache-dir "$tmp/outputs" >/dev/null
}
secs() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo "scale=1; ($e - $s) / 1000000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bash "$w" prepare git
bash "$w" clean git; bash "$w" build git 8 ccache   # fill ccache once
for i in $(seq "$runs"); do
  bash "$w" clean git; echo "$(secs bash "$w" build git 2)" >> "$tmp/local"
  bash "$w" clean git; echo "$(secs bash "$w" build git 8 ccache)" >> "$tmp/ccache-warm"
  fresh_farm
  bash "$w" clean git; echo "$(secs bash "$w" build git 8 "$root/bin/kiln-cc")" >> "$tmp/kiln-cold"
  stats=$(curl -s "http://127.0.0.1:$pport/statz?format=json")
  bash "$w" clean git; echo "$(secs bash "$w" build git 8 "$root/bin/kiln-cc")" >> "$tmp/kiln-warm"
  echo "run $i: local $(tail -1 "$tmp/local") s, ccache warm $(tail -1 "$tmp/ccache-warm") s, kiln-cc cold $(tail -1 "$tmp/kiln-cold") s $stats, warm $(tail -1 "$tmp/kiln-warm") s $(curl -s "http://127.0.0.1:$pport/statz?format=json")" >&2
done
echo "machine: $(nproc) cores, $(gcc --version | head -1), $(ccache --version | head -1); $runs runs, median"
echo "| git 2.39.5 build | seconds |"
echo "|---|---|"
for v in local kiln-cold ccache-warm kiln-warm; do echo "| $v | $(median < "$tmp/$v") |"; done
