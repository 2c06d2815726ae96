package dev.kiln.client.cxx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The include processor on small trees that each exercise one preprocessor feature. */
class IncludeProcessorTest {
  @TempDir Path dir;
  private final IncludeProcessor scanner = new IncludeProcessor();
  private static final CompilerInfo NO_SYSTEM = new CompilerInfo(List.of(), "#define __GNUC__ 12\n");

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  private Set<Path> scan(Path source, String... flags) {
    List<String> argv = new java.util.ArrayList<>(List.of("gcc", "-c"));
    argv.addAll(List.of(flags));
    argv.add(source.toString());
    return scanner.inputs(source, CompilerFlags.parse(argv, dir), NO_SYSTEM);
  }

  private Set<Path> names(String... names) {
    Set<Path> out = new java.util.LinkedHashSet<>();
    for (String n : names) {
      out.add(dir.resolve(n).normalize());
    }
    return out;
  }

  private static void age(Path... files) throws Exception {
    for (Path f : files) {
      Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }
  }

  @Test
  void aRepeatedCompileIsAnsweredFromItsManifestUntilANewHeaderShadowsAnOldOne() throws Exception {
    Path old = write("inc1/x.h", "#include \"y.h\"\n");
    Path y = write("inc1/y.h", "\n");
    Path c = write("a.c", "#include \"x.h\"\n");
    age(old, y, c);
    assertThat(scan(c, "-Iinc2", "-Iinc1")).isEqualTo(names("a.c", "inc1/x.h", "inc1/y.h"));
    assertThat(scan(c, "-Iinc2", "-Iinc1")).isEqualTo(names("a.c", "inc1/x.h", "inc1/y.h"));
    Path shadow = write("inc2/x.h", "\n"); // a new header earlier in the search path
    age(shadow);
    assertThat(scan(c, "-Iinc2", "-Iinc1")).isEqualTo(names("a.c", "inc2/x.h"));
    Files.delete(shadow);
    assertThat(scan(c, "-Iinc2", "-Iinc1")).isEqualTo(names("a.c", "inc1/x.h", "inc1/y.h"));
  }

  @Test
  void aHeaderEditedBetweenScansIsReadAgain() throws Exception {
    Path h = write("a.h", "#define A 1\n");
    write("b.h", "\n");
    Path c = write("a.c", "#include \"a.h\"\n");
    java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    Files.setLastModifiedTime(h, old);
    assertThat(scan(c)).isEqualTo(names("a.c", "a.h"));
    Files.writeString(h, "#include \"b.h\"\n"); // an edit between two compiles of a running proxy
    Files.setLastModifiedTime(h, java.nio.file.attribute.FileTime.fromMillis(old.toMillis() + 1000));
    assertThat(scan(c)).isEqualTo(names("a.c", "a.h", "b.h"));
  }

  @Test
  void quotedAngledAndSearchOrder() throws Exception {
    write("inc/a.h", "#include <b.h>\n");
    write("sys/b.h", "// b\n");
    write("src/local.h", "int local;\n");
    Path c = write("src/m.c", "#include \"local.h\"\n#include \"a.h\"\nint main(){}\n");
    assertThat(scan(c, "-Iinc", "-isystem", "sys")).isEqualTo(names("src/m.c", "src/local.h", "inc/a.h", "sys/b.h"));
  }

  @Test
  void conditionalsMacrosAndDefined() throws Exception {
    write("yes.h", "");
    write("no.h", "");
    write("elif.h", "");
    Path c = write("c.c", """
        #define LEVEL 3
        #define TWICE(x) ((x) * 2)
        #if TWICE(LEVEL) > 5 && defined(LEVEL) && !defined NOPE
        # include "yes.h"
        #else
        # include "no.h"
        #endif
        #if LEVEL == 1
        #include "no.h"
        #elif LEVEL == 3 /* comment */
        #include "elif.h"
        #endif
        #ifdef FROM_FLAG
        #include "no.h"
        #endif
        """);
    assertThat(scan(c)).isEqualTo(names("c.c", "yes.h", "elif.h"));
    assertThat(scan(c, "-DFROM_FLAG")).contains(dir.resolve("no.h"));
  }

  @Test
  void computedIncludesAndHasInclude() throws Exception {
    write("config/real.h", "");
    write("there.h", "");
    Path c = write("c.c", """
        #define STR(x) #x
        #define XSTR(x) STR(x)
        #define CONFIG config/real.h
        #include XSTR(CONFIG)
        #if __has_include("there.h")
        #include "there.h"
        #endif
        #if __has_include("missing.h")
        #include "should-not-be-read.h"
        #endif
        """);
    assertThat(scan(c)).isEqualTo(names("c.c", "config/real.h", "there.h"));
  }

  @Test
  void undecidableConditionsFollowEveryBranch() throws Exception {
    write("a.h", "");
    write("b.h", "");
    Path c = write("c.c", """
        #if __has_attribute(fallthrough)
        #include "a.h"
        #else
        #include "b.h"
        #endif
        """);
    assertThat(scan(c)).isEqualTo(names("c.c", "a.h", "b.h"));
  }

  @Test
  void includeNextGuardsAndPragmaOnce() throws Exception {
    write("first/limits.h", "#ifndef FIRST\n#define FIRST\n#include_next <limits.h>\n#endif\n");
    write("second/limits.h", "#pragma once\nint second;\n");
    Path c = write("c.c", "#include <limits.h>\n#include <limits.h>\n");
    assertThat(scan(c, "-Ifirst", "-Isecond")).isEqualTo(names("c.c", "first/limits.h", "second/limits.h"));
  }

  @Test
  void forcedIncludesAndContinuedLines() throws Exception {
    write("force.h", "#define WANT \\\n  1\n");
    write("w.h", "");
    Path c = write("c.c", "#if WANT\n#include \"w.h\"\n#endif\n");
    assertThat(scan(c, "-include", "force.h")).isEqualTo(names("force.h", "c.c", "w.h"));
  }
}
