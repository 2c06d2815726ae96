package dev.kiln.client.fake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The fake compiler itself, for tests: a shell script that does what {@link FakeCompilerType} describes. */
public final class FakeCompiler {
  private FakeCompiler() {}

  /** Writes an executable {@code fake-cc} into {@code bin} and returns its path. */
  public static Path install(Path bin) throws IOException {
    Files.createDirectories(bin);
    Path cc = bin.resolve(FakeCompilerType.COMPILER);
    Files.writeString(cc, """
        #!/bin/sh
        # fake-cc -c SOURCE -o OUTPUT: the source with every '#include "F"' line replaced by F, recursively.
        expand() { while IFS= read -r line; do
            case "$line" in '#include "'*'"') f=${line#'#include "'}; expand < "$(dirname "$1")/${f%'"'}" "$(dirname "$1")/${f%'"'}" ;;
            *) printf '%s\\n' "$line" ;; esac; done; }
        [ "$1" = -c ] && [ "$3" = -o ] || { echo "usage: fake-cc -c SOURCE -o OUTPUT" >&2; exit 2; }
        expand "$2" < "$2" > "$4"
        """);
    Files.setPosixFilePermissions(cc, Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE, java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE));
    return cc;
  }
}
