#!/usr/bin/env bash
# bench/workloads.sh - real C and C++ projects for tests and benchmarks, built with or without a
# compiler launcher. Sources are Debian bookworm source packages, fetched on first use by
# bench/fetch-source.sh (pristine upstream trees, built with their own build systems):
#   lua    lua5.4 5.4.4       C, 34 TUs      upstream Makefile: make linux
#   git    git 2.39           C, ~500 TUs    plain Makefile, optional libraries off (needs zlib1g-dev)
#   ninja  ninja-build 1.11   C++, ~55 TUs   CMake -> Unix Makefiles, -O2 without LTO
#
#   bench/workloads.sh dir     NAME                    fetch if needed, print the source tree
#   bench/workloads.sh prepare NAME [LAUNCHER]         fetch and configure once
#   bench/workloads.sh build   NAME JOBS [LAUNCHER]    make -jJOBS
#   bench/workloads.sh clean   NAME [LAUNCHER]         remove the build's outputs
#
# LAUNCHER (default none) goes in front of every compiler call: `ccache`, `bin/kiln-cc` or any
# command. make builds get CC="LAUNCHER gcc" in the source tree; the CMake build (ninja) gets its
# own directory per launcher, TREE/build-o2-TAG (TAG: the launcher's file name, `none` without),
# configured with CMAKE_{C,CXX}_COMPILER_LAUNCHER.
# Env: BENCH_DIR (default ${TMPDIR:-/tmp}/kiln-workloads): sources in $BENCH_DIR/src, build logs
# in $BENCH_DIR/logs; QUIET=0 shows the build's output instead of logging it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench=${BENCH_DIR:-${TMPDIR:-/tmp}/kiln-workloads}
logs=$bench/logs
mkdir -p "$bench/src" "$logs"

fail() { echo "workloads.sh: $*" >&2; exit 1; }

package() {
  case "$1" in
    lua) echo lua5.4 ;;
    git) echo git ;;
    ninja) echo ninja-build ;;
    *) fail "unknown workload '$1' (lua, git, ninja)" ;;
  esac
}

# The physical path of the source tree (compiler caches key on it), fetched on first use.
tree() {
  local link; link=$("$here/fetch-source.sh" "$(package "$1")" "$bench/src")
  (cd "$link" && pwd -P)
}

launcher() { echo "${1:-none}"; }
tag() { basename "$1" | tr -c 'A-Za-z0-9_.\n-' '_'; }
cmake_dir() { echo "$1/build-o2-$(tag "$2")"; }
cc() { if [ "$1" = none ]; then echo gcc; else echo "$1 gcc"; fi; }

# run LOGNAME CMD...: the command's output goes to the log (or the terminal with QUIET=0).
run() {
  local log=$logs/$1.log; shift
  if [ "${QUIET:-1}" = 0 ]; then "$@"; return; fi
  "$@" > "$log" 2>&1 || { tail -30 "$log" >&2; fail "failed: $* (log: $log)"; }
}

prepare() {
  local name=$1 l t; l=$(launcher "${2:-}"); t=$(tree "$name")
  case "$name" in
    lua) ;;
    git)
      # No optional libraries; COMPUTE_HEADER_DEPENDENCIES=yes skips git's probe compile of
      # /dev/null (a compiler wrapper running as root must never be handed /dev/null as output).
      printf '%s\n' NO_OPENSSL=1 NO_CURL=1 NO_EXPAT=1 NO_GETTEXT=1 NO_TCLTK=1 NO_PERL=1 NO_PYTHON=1 \
        COMPUTE_HEADER_DEPENDENCIES=yes > "$t/config.mak" ;;
    ninja)
      local b; b=$(cmake_dir "$t" "$l")
      [ -f "$b/Makefile" ] && return 0
      local flags=(-G "Unix Makefiles" -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS=-O2 -DCMAKE_CXX_FLAGS=-O2)
      [ "$l" = none ] || flags+=("-DCMAKE_C_COMPILER_LAUNCHER=$l" "-DCMAKE_CXX_COMPILER_LAUNCHER=$l")
      run "ninja-cmake-$(tag "$l")" cmake -S "$t" -B "$b" "${flags[@]}" ;;
  esac
}

build() {
  local name=$1 jobs=$2 l t; l=$(launcher "${3:-}"); t=$(tree "$name")
  prepare "$name" "$l"
  local log="$name-build-$(tag "$l")-j$jobs"
  case "$name" in
    lua) run "$log" make -C "$t" -j"$jobs" linux CC="$(cc "$l") -std=gnu99" ;;
    git) run "$log" make -C "$t" -j"$jobs" CC="$(cc "$l")" all ;;
    ninja) run "$log" make -C "$(cmake_dir "$t" "$l")" -j"$jobs" ;;
  esac
}

clean() {
  local name=$1 l t; l=$(launcher "${2:-}"); t=$(tree "$name")
  case "$name" in
    lua) make -C "$t/src" clean > /dev/null 2>&1 || true ;;
    git) make -C "$t" clean > /dev/null 2>&1 || true ;;
    ninja) local b; b=$(cmake_dir "$t" "$l"); [ ! -f "$b/Makefile" ] || make -C "$b" clean > /dev/null 2>&1 || true ;;
  esac
}

cmd=${1:-}; shift || true
case "$cmd" in
  dir) tree "${1:?NAME}" ;;
  prepare) prepare "${1:?NAME}" "${2:-}" ;;
  build) build "${1:?NAME}" "${2:?JOBS}" "${3:-}" ;;
  clean) clean "${1:?NAME}" "${2:-}" ;;
  *) echo "usage: bench/workloads.sh dir|prepare|build|clean NAME [JOBS] [LAUNCHER]" >&2; exit 2 ;;
esac
