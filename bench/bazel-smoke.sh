#!/usr/bin/env bash
# bench/bazel-smoke.sh [local|grpc://HOST:PORT] - generates a C++ workspace (N_FILES TUs of
# std::map/std::sort code and a binary, as launcher's BazelWorkspace does for the end-to-end
# tests) and builds it RUNS times with Debian's Bazel 4.2.3 (`bazel-bootstrap`), offline, each
# run after `bazel clean`: locally, or all-remote against a Kiln front node. One line per run:
#   run N: rc=EXIT wall=SECONDSs | Bazel's process summary (e.g. "22 remote cache hit, 4 internal")
# Bazel 4.2.3's @bazel_tools loads @rules_cc and @rules_java, which it would download: small
# shims forwarding to the native rules stand in for them (--override_repository).
# Env: N_FILES (20), RUNS (2), SMOKE_DIR (scratch, default ${TMPDIR:-/tmp}/kiln-bazel-smoke; the
# workspace in it is rewritten), REMOTE_INSTANCE_NAME (main), REMOTE_TIMEOUT (60s), BAZEL (bazel).
set -uo pipefail
target=${1:-local}
n=${N_FILES:-20}; runs=${RUNS:-2}; bazel=${BAZEL:-bazel}
dir=${SMOKE_DIR:-${TMPDIR:-/tmp}/kiln-bazel-smoke}
ws=$dir/ws; shims=$dir/shims
command -v "$bazel" >/dev/null || { echo "bazel-smoke.sh: no bazel (apt-get install bazel-bootstrap)" >&2; exit 2; }

rm -rf "$ws" "$shims"
mkdir -p "$ws/src" "$shims/rules_cc/cc" "$shims/rules_java/java"
shim() { # shim REPO/PKG RULE...: a defs.bzl whose rules forward to native.RULE
  local p=$shims/$1; shift
  touch "${p%/*}/WORKSPACE"; echo 'exports_files(["defs.bzl"])' > "$p/BUILD"
  for r in "$@"; do echo "def $r(**attrs): native.$r(**attrs)"; done > "$p/defs.bzl"
}
shim rules_cc/cc cc_binary cc_library cc_test cc_import cc_proto_library fdo_prefetch_hints fdo_profile \
  cc_toolchain cc_toolchain_suite objc_library objc_import
shim rules_java/java java_binary java_import java_library java_test java_plugin java_runtime java_toolchain \
  java_package_configuration

echo 'workspace(name = "kiln_smoke")' > "$ws/WORKSPACE"
{ echo '#pragma once'; for i in $(seq "$n"); do echo "int f$i(int x);"; done; } > "$ws/src/f.h"
for i in $(seq "$n"); do
  cat > "$ws/src/f$i.cc" <<EOF
#include <algorithm>
#include <map>
#include <string>
#include <vector>
#include "src/f.h"
int f$i(int x) {
  std::map<std::string, std::vector<int>> m;
  for (int k = 0; k < x + $i; ++k) m[std::to_string(k % 7)].push_back(k * $i);
  int s = 0;
  for (auto &kv : m) { std::sort(kv.second.begin(), kv.second.end()); s += kv.second.back(); }
  return s;
}
EOF
done
{
  echo '#include <cstdio>'; echo '#include "src/f.h"'; echo 'int main() {'; echo '  long s = 0;'
  for i in $(seq "$n"); do echo "  s += f$i(10);"; done
  echo '  std::printf("kiln smoke ok %ld\n", s);'; echo '  return 0;'; echo '}'
} > "$ws/src/main.cc"
cat > "$ws/BUILD" <<'EOF'
cc_library(name = "lib", srcs = glob(["src/f*.cc"]), hdrs = ["src/f.h"])
cc_binary(name = "main", srcs = ["src/main.cc"], deps = [":lib"])
EOF

flags=(--override_repository=rules_cc="$shims/rules_cc" --override_repository=rules_java="$shims/rules_java"
       --color=no --curses=no)
if [ "$target" != local ]; then
  flags+=(--remote_executor="$target" --remote_instance_name="${REMOTE_INSTANCE_NAME:-main}"
          --spawn_strategy=remote --noremote_local_fallback --remote_timeout="${REMOTE_TIMEOUT:-60s}")
fi
bz() { (cd "$ws" && "$bazel" --output_user_root="$dir/output_user_root" "$@"); }
rc=0
for r in $(seq "$runs"); do
  bz clean > /dev/null 2>&1
  start=$(date +%s%N)
  out=$(bz build "${flags[@]}" //:main 2>&1); brc=$?
  end=$(date +%s%N)
  summary=$(printf '%s\n' "$out" | grep -E '^INFO: [0-9]+ process' | tail -1)
  echo "run $r: rc=$brc wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')s | ${summary#INFO: }"
  if [ "$brc" != 0 ]; then printf '%s\n' "$out" | grep -E 'ERROR' | head -5 >&2; rc=$brc; break; fi
done
bz shutdown > /dev/null 2>&1
exit "$rc"
