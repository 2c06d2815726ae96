package dev.kiln.client.cxx;

import dev.kiln.common.Executables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a compiler adds to every compile: its system include directories and predefined macros
 * (read from {@code -v -E /dev/null} and {@code -dM -E /dev/null}, with LC_ALL=C), for one
 * language and set of info-changing flags. Cached by compiler path, mtime, language and flags.
 */
public record CompilerInfo(List<Path> systemIncludeDirs, String predefinedMacros) {

  /** A cache of compiler infos; one per client process. */
  public static final class Cache {
    private final Map<String, CompilerInfo> infos = new ConcurrentHashMap<>();

    public CompilerInfo get(String compiler, boolean cxx, List<String> infoFlags) {
      Path p = Path.of(compiler);
      long mtime;
      try {
        mtime = java.nio.file.Files.getLastModifiedTime(p.isAbsolute() ? p : Executables.find(compiler).orElse(p)).toMillis();
      } catch (IOException e) {
        mtime = -1;
      }
      String key = compiler + "\0" + mtime + "\0" + cxx + "\0" + String.join("\0", infoFlags);
      return infos.computeIfAbsent(key, k -> probe(compiler, cxx, infoFlags));
    }
  }

  static CompilerInfo probe(String compiler, boolean cxx, List<String> infoFlags) {
    List<String> base = new ArrayList<>(List.of(compiler));
    base.addAll(infoFlags);
    base.addAll(List.of("-x", cxx ? "c++" : "c"));
    List<String> dirsCmd = new ArrayList<>(base);
    dirsCmd.addAll(List.of("-v", "-E", "/dev/null", "-o", "/dev/null"));
    List<String> macrosCmd = new ArrayList<>(base);
    macrosCmd.addAll(List.of("-dM", "-E", "/dev/null"));
    List<Path> dirs = new ArrayList<>();
    boolean in = false;
    for (String line : run(dirsCmd).split("\n")) {
      if (line.startsWith("#include <...> search starts here:")) {
        in = true;
      } else if (line.startsWith("End of search list.")) {
        in = false;
      } else if (in && line.startsWith(" ")) {
        dirs.add(Path.of(line.strip().replace(" (framework directory)", "")).normalize());
      }
    }
    return new CompilerInfo(List.copyOf(dirs), run(macrosCmd));
  }

  private static String run(List<String> cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("LC_ALL", "C");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to run " + cmd.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
