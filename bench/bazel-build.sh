#!/usr/bin/env bash
# bench/bazel-build.sh [RUNS] - Bazel build of the smoke workspace (N_FILES TUs + a binary, generated
# by bench/bazel-smoke.sh): local (Bazel's own sandbox) vs remote cold vs remote warm
# against `bin/kiln up`, RUNS times each, then the farm's RSS. Prints a markdown table.
# Cold runs use a fresh instance name each (empty action cache namespace; the CAS is shared, so
# inputs are not re-uploaded); warm runs follow `bazel clean` on the same instance.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
smoke=$root/bench/bazel-smoke.sh
runs=${1:-3}
port=${PORT:-5077}
data=$(mktemp -d /tmp/kiln-bench-bazel.XXXXXX)
export N_FILES=${N_FILES:-20} SMOKE_DIR=$data/smoke REMOTE_TIMEOUT=120s

"$root/bin/kiln" up --port "$port" --data-dir "$data/farm" > "$data/farm.log" 2>&1 &
farm=$!
trap 'kill $farm 2>/dev/null; wait $farm 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "farm did not start, see $data/farm.log" >&2; exit 1; }

wall() { sed -n "s/^run $1: rc=0 wall=\([0-9.]*\)s.*/\1/p"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

local_t=(); cold=(); warm=()
for i in $(seq "$runs"); do
  out=$(RUNS=1 bash "$smoke" local); local_t+=("$(echo "$out" | wall 1)")
  out=$(RUNS=2 REMOTE_INSTANCE_NAME="cold-$i-$$" bash "$smoke" "grpc://127.0.0.1:$port")
  echo "$out" | grep -E '^run' >&2
  cold+=("$(echo "$out" | wall 1)"); warm+=("$(echo "$out" | wall 2)")
done
rss=$(ps -o rss= -p "$(pgrep -f "KilnCli up --port $port" | head -1)" | awk '{printf "%.0f", $1/1024}')
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), bazel $(dpkg-query -W -f='${Version}' bazel-bootstrap 2>/dev/null)"
echo "| variant | runs (s) | median (s) |"
echo "|---|---|---|"
echo "| local (Bazel sandbox, 2 cores) | ${local_t[*]} | $(printf '%s\n' "${local_t[@]}" | median) |"
echo "| remote cold (Kiln, all actions executed) | ${cold[*]} | $(printf '%s\n' "${cold[@]}" | median) |"
echo "| remote warm (after bazel clean, all cache hits) | ${warm[*]} | $(printf '%s\n' "${warm[@]}" | median) |"
echo "farm RSS after the builds (front node + workers + Kafka + Hazelcast in one JVM): ${rss} MiB"
