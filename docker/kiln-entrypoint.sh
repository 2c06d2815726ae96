#!/bin/sh
# The container's `kiln`: the same JVM flags as bin/kiln, classes from /opt/kiln/lib.
#
# A worker started as root with CAP_SYS_ADMIN (compose: cap_add SYS_ADMIN) prepares two mounts
# for bubblewrap, then gives SYS_ADMIN up before the JVM starts (docs/adr/0010):
# - bubblewrap mounts a new /proc for each action's pid namespace; inside a user namespace the
#   kernel allows that only when the mount namespace already holds a proc mount with nothing
#   mounted over it, and Docker masks parts of the container's /proc (kcore, sysrq-trigger, ...).
#   A proc with only the process directories (subset=pid: no /proc/sys, no kcore) at
#   /run/kiln/proc (0700, bound into no sandbox) is such a mount.
# - --disable-userns writes the sandbox's own user.max_user_namespaces through /proc/sys/user,
#   which Docker mounts read-only: a writable /proc/sys/user is bound over it. Its files are
#   writable only with CAP_SYS_RESOURCE in their user namespace, which the container lacks.
# `security_opt: systempaths=unconfined` makes both unnecessary, where the compose tool accepts it.
if [ "$1" = worker ] && [ "$(id -u)" = 0 ] && [ "${KILN_SANDBOX_PROC:-auto}" != off ]; then
  prepare() {
    mkdir -p /run/kiln/proc && chmod 0700 /run/kiln || return 1
    mountpoint -q /run/kiln/proc || mount -t proc -o nosuid,nodev,noexec,subset=pid proc /run/kiln/proc || return 1
    if awk '$5 == "/proc/sys" && $6 ~ /^ro/ {found = 1} END {exit !found}' /proc/self/mountinfo; then
      mkdir -p /run/kiln/full && mount -t proc -o nosuid,nodev,noexec proc /run/kiln/full || return 1
      mount --bind /run/kiln/full/sys/user /proc/sys/user; ok=$?
      umount /run/kiln/full && rmdir /run/kiln/full
      return $ok
    fi
    return 0
  }
  if ! prepare 2>/tmp/kiln-sandbox-mounts.err; then
    echo "kiln: cannot prepare the sandbox's mounts ($(tr '\n' ' ' </tmp/kiln-sandbox-mounts.err)): give the worker" \
      "container cap_add SYS_ADMIN (and security_opt apparmor=unconfined on AppArmor hosts), or security_opt" \
      "systempaths=unconfined; see docs/adr/0010" >&2
  fi
  # The JVM itself needs no SYS_ADMIN: drop it from the bounding set (so from what java gets).
  drop="setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin --"
fi
exec ${drop:-} java ${KILN_JAVA_OPTS:--Xmx1g} \
  --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Djava.util.concurrent.ForkJoinPool.common.parallelism=8 -Dhazelcast.phone.home.enabled=false -Dhazelcast.logging.type=slf4j \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.dev.kiln=info \
  -cp "/opt/kiln/lib/*" dev.kiln.launcher.KilnCli "$@"
