#!/usr/bin/env bash
# bench/run-java.sh CLASS [ARGS...] - build Kiln if needed and run a benchmark main class of
# bench/ (dev.kiln.bench.CLASS) with the farm's JVM flags.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cls=${1:?usage: bench/run-java.sh CLASS [ARGS...]}; shift
if ! ls "$root"/bench/target/kiln-bench-*.jar >/dev/null 2>&1; then
  (cd "$root" && mvn -B -q -ntp install -DskipTests)
fi
jar=$(ls "$root"/bench/target/kiln-bench-*.jar | head -1)
exec java -Xmx2g --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Djava.util.concurrent.ForkJoinPool.common.parallelism=8 -Dhazelcast.phone.home.enabled=false -Dhazelcast.logging.type=slf4j -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$jar:$root/bench/target/lib/*" "dev.kiln.bench.$cls" "$@"
