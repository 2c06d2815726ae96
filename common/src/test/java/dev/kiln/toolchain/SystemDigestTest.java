package dev.kiln.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemDigestTest {
  @TempDir
  Path dir;

  private Path file(String rel, String content, long mtime) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.fromMillis(mtime * 1000));
    return p;
  }

  @Test
  void sizeMtimeNamesAndLinksChangeTheDigestButContentAloneDoesNot() throws Exception {
    Path inc = dir.resolve("include");
    file("include/stdio.h", "int a;", 1000);
    file("include/sys/types.h", "int b;", 1000);
    String base = SystemDigest.digest(List.of(inc));
    assertThat(SystemDigest.digest(List.of(inc))).isEqualTo(base);

    file("include/stdio.h", "int c;", 1000); // same size and mtime: stat only, by design
    assertThat(SystemDigest.digest(List.of(inc))).isEqualTo(base);

    file("include/stdio.h", "int c;", 1001);
    String touched = SystemDigest.digest(List.of(inc));
    assertThat(touched).isNotEqualTo(base);

    file("include/stdio.h", "int cc;", 1001);
    String grown = SystemDigest.digest(List.of(inc));
    assertThat(grown).isNotEqualTo(touched);

    Files.createSymbolicLink(inc.resolve("link.h"), Path.of("stdio.h"));
    String linked = SystemDigest.digest(List.of(inc));
    assertThat(linked).isNotEqualTo(grown);

    file("include/extra.h", "", 1001);
    assertThat(SystemDigest.digest(List.of(inc))).isNotEqualTo(linked);
  }

  @Test
  void theSameTreeAtAnotherPathIsAnotherToolchain() throws Exception {
    file("a/include/x.h", "x", 1000);
    file("b/include/x.h", "x", 1000);
    assertThat(SystemDigest.digest(List.of(dir.resolve("a/include")))).isNotEqualTo(SystemDigest.digest(List.of(dir.resolve("b/include"))));
  }

  @Test
  void includeDirsComeFromTheSearchList() {
    String transcript = """
        ignoring nonexistent directory "/usr/local/include/x86_64-linux-gnu"
        #include "..." search starts here:
        #include <...> search starts here:
         /usr/lib/gcc/x86_64-linux-gnu/12/include
         /usr/include
        End of search list.
         /not/this
        """;
    assertThat(SystemDigest.includeDirs(transcript)).containsExactly(Path.of("/usr/lib/gcc/x86_64-linux-gnu/12/include"), Path.of("/usr/include"));
  }

  @Test
  void theRealGccReadsItsHeadersCc1AndAssembler() throws Exception {
    Path gcc = Executables.find("gcc").orElseThrow();
    List<Path> roots = SystemDigest.roots(gcc);
    assertThat(roots).contains(Path.of("/usr/include"));
    Path cc1 = Path.of(new String(new ProcessBuilder(gcc.toString(), "-print-prog-name=cc1").start().getInputStream().readAllBytes()).trim());
    assertThat(roots).anyMatch(r -> cc1.startsWith(r));
    assertThat(roots).anyMatch(r -> r.getFileName().toString().endsWith("as"));
    assertThat(roots).noneMatch(r -> roots.stream().anyMatch(o -> !o.equals(r) && r.startsWith(o)));
    String digest = SystemDigest.of(gcc, "h");
    assertThat(digest).matches("[0-9a-f]{64}").isEqualTo(SystemDigest.digest(roots));
  }
}
