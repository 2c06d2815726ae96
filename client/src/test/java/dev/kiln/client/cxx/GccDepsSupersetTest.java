package dev.kiln.client.cxx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The include processor's list is a superset of {@code gcc -M} for every translation unit of the
 * real workloads (bench/workloads.sh): lua 5.4 and git 2.39 (C), ninja 1.11 (C++), each
 * with its own build flags, system headers included.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class GccDepsSupersetTest {
  private final IncludeProcessor scanner = new IncludeProcessor();
  private final CompilerInfo.Cache infos = new CompilerInfo.Cache();

  @Test
  void everyLuaTranslationUnit() throws Exception {
    assertSuperset(CompileCommands.lua(), 30);
  }

  @Test
  void everyGitTranslationUnit() throws Exception {
    assertSuperset(CompileCommands.git(), 400);
  }

  @Test
  void everyNinjaTranslationUnit() throws Exception {
    assertSuperset(CompileCommands.ninja(), 40);
  }

  private void assertSuperset(List<CompileCommands> commands, int atLeast) throws Exception {
    assertThat(commands).hasSizeGreaterThan(atLeast);
    long extra = 0;
    long listed = 0;
    for (CompileCommands c : commands) {
      CompilerFlags flags = CompilerFlags.parse(c.argv(), c.cwd());
      Path unit = flags.inputs().get(0);
      Set<Path> ours = real(scanner.inputs(unit, flags, infos.get(c.argv().get(0), flags.isCxx(), flags.infoFlags())));
      Set<Path> gcc = gccDeps(c);
      assertThat(gcc).isNotEmpty();
      assertThat(ours).as("scan of %s must contain everything gcc -M lists", unit).containsAll(gcc);
      listed += gcc.size();
      extra += ours.size() - gcc.size();
    }
    System.out.printf("%d TUs: gcc -M lists %d files, the scanner %d more (%.1f%%)%n", commands.size(), listed, extra, 100.0 * extra / listed);
  }

  /** What {@code gcc -M} says the compile reads (the command with -M instead of -c/-o/-M*). */
  static Set<Path> gccDeps(CompileCommands c) throws Exception {
    List<String> cmd = c.gccMCommand();
    Process p = new ProcessBuilder(cmd).directory(c.cwd().toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    Set<Path> deps = new HashSet<>();
    for (String word : out.substring(out.indexOf(':') + 1).split("\\s+")) {
      if (!word.isEmpty() && !word.equals("\\")) {
        deps.add(c.cwd().resolve(word).toRealPath());
      }
    }
    return deps;
  }

  static Set<Path> real(Set<Path> paths) throws IOException {
    Set<Path> out = new HashSet<>();
    for (Path p : paths) {
      out.add(p.toRealPath());
    }
    return out;
  }
}
