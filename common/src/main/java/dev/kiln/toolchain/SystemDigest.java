package dev.kiln.toolchain;

import dev.kiln.common.Executables;
import dev.kiln.common.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The identity of what a worker supplies in place of the client's system files: Goma clients do
 * not ship /usr, so a compile reads the worker's headers, cc1 and assembler, and those must be
 * part of the action key. The digest covers every file below the compiler's system include
 * directories ({@code -E -v}, for C and C++), its libexec directory (where {@code
 * -print-prog-name=cc1}/{@code cc1plus} live) and its assembler, as (path, size, mtime seconds)
 * and symlink targets: stat only, never contents, so it costs milliseconds and identical packages
 * (dpkg keeps mtimes) give identical digests on every worker. Cached per compiler binary.
 */
public final class SystemDigest {
  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private SystemDigest() {}

  /** The digest for the compiler at {@code binary} whose content hash is {@code binarySha256}. */
  public static String of(Path binary, String binarySha256) {
    Path real;
    try {
      real = binary.toRealPath(); // cc, gcc and gcc-12 are one compiler: walk once
    } catch (IOException e) {
      real = binary;
    }
    return CACHE.computeIfAbsent(real + "\0" + binarySha256, k -> digest(roots(binary)));
  }

  /** The system directories and files {@code binary} reads, absolute, existing, none below another. */
  static List<Path> roots(Path binary) {
    TreeSet<Path> all = new TreeSet<>();
    for (String lang : List.of("c", "c++")) {
      all.addAll(includeDirs(run(binary, "-E", "-v", "-x", lang, "/dev/null", "-o", "/dev/null")));
    }
    for (String prog : List.of("cc1", "cc1plus")) {
      Path p = Path.of(run(binary, "-print-prog-name=" + prog).trim());
      if (p.isAbsolute() && Files.isRegularFile(p)) {
        all.add(p.getParent().normalize());
      }
    }
    String as = run(binary, "-print-prog-name=as").trim();
    (as.startsWith("/") ? java.util.Optional.of(Path.of(as)) : Executables.find(as.isEmpty() ? "as" : as))
        .filter(Files::exists).ifPresent(p -> all.add(p.normalize()));
    List<Path> roots = new ArrayList<>();
    for (Path p : all) { // sorted: a parent comes before its children
      if (Files.exists(p) && roots.stream().noneMatch(p::startsWith)) {
        roots.add(p);
      }
    }
    return roots;
  }

  /** The {@code #include} search directories of a {@code -E -v} transcript. */
  static List<Path> includeDirs(String transcript) {
    List<Path> dirs = new ArrayList<>();
    boolean in = false;
    for (String line : transcript.lines().toList()) {
      if (line.startsWith("#include ") && line.endsWith("search starts here:")) {
        in = true;
      } else if (line.startsWith("End of search list")) {
        in = false;
      } else if (in && line.startsWith(" /")) {
        dirs.add(Path.of(line.trim().replace(" (framework directory)", "")).normalize());
      }
    }
    return dirs;
  }

  /** SHA-256 over each root's name and, below it, every entry's relative path, size and mtime (links: their target). */
  static String digest(List<Path> roots) {
    MessageDigest md = Hashing.sha256();
    for (Path root : roots) {
      md.update(("root " + root + "\n").getBytes(StandardCharsets.UTF_8));
      Map<String, String> entries = new TreeMap<>();
      try {
        Path real = root.toRealPath();
        Files.walkFileTree(real, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
            String rel = real.relativize(file).toString();
            if (a.isSymbolicLink()) {
              entries.put(rel, "l " + Files.readSymbolicLink(file));
            } else if (a.isRegularFile()) {
              entries.put(rel, "f " + a.size() + " " + a.lastModifiedTime().to(TimeUnit.SECONDS));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            entries.put(real.relativize(file).toString(), "unreadable");
            return FileVisitResult.CONTINUE;
          }
        });
      } catch (IOException e) {
        entries.put("", "unreadable");
      }
      entries.forEach((rel, what) -> md.update((rel + "\0" + what + "\n").getBytes(StandardCharsets.UTF_8)));
    }
    return Hashing.hex(md.digest());
  }

  private static String run(Path binary, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    String path = pb.environment().getOrDefault("PATH", "/usr/bin:/bin");
    pb.environment().clear();
    pb.environment().put("PATH", path);
    pb.environment().put("LC_ALL", "C");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "";
      }
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
