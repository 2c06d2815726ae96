#!/bin/sh
# The container's `kiln`: the same JVM flags as bin/kiln, classes from /opt/kiln/lib.
exec java ${KILN_JAVA_OPTS:--Xmx1g} \
  --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Djava.util.concurrent.ForkJoinPool.common.parallelism=8 -Dhazelcast.phone.home.enabled=false -Dhazelcast.logging.type=slf4j \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.dev.kiln=info \
  -cp "/opt/kiln/lib/*" dev.kiln.launcher.KilnCli "$@"
