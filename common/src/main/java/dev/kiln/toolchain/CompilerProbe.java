package dev.kiln.toolchain;

import dev.kiln.common.Executables;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.Toolchain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds C/C++ compilers and describes them the way Goma's CommandSpec does (workers announce
 * theirs; kiln-cc describes the client's so the farm can match it):
 * name, version as {@code <dumpversion>[<first line of --version, program name stripped>]},
 * target ({@code -dumpmachine}), and the SHA-256 and size of the real binary (symlinks resolved).
 */
public final class CompilerProbe {
  /** Compiler names looked up on PATH. */
  public static final List<String> NAMES = List.of("gcc", "g++", "cc", "c++", "clang", "clang++");

  private CompilerProbe() {}

  /**
   * Every compiler of {@link #NAMES} found on {@code path}, with the {@link SystemDigest} of the
   * system files it reads here (workers key actions by it; {@link #describe} leaves it out).
   */
  public static List<Toolchain> probe(String path) {
    List<Toolchain> out = new ArrayList<>();
    for (String name : NAMES) {
      Executables.find(name, path).flatMap(p -> describe(name, p))
          .map(t -> t.toBuilder().setSystemDigest(SystemDigest.of(Path.of(t.getPath()), t.getBinarySha256())).build())
          .ifPresent(out::add);
    }
    return out;
  }

  /** The platform property value naming a probed toolchain: {@code <binary_sha256>.<system_digest>}. */
  public static String identity(Toolchain t) {
    return t.getBinarySha256() + "." + t.getSystemDigest();
  }

  /** The platform property that carries {@link #identity}. */
  public static final String PROPERTY = "kiln-toolchain";

  /** Describes the compiler at {@code binary} (called as {@code name}), if it answers. */
  public static Optional<Toolchain> describe(String name, Path binary) {
    try {
      Path real = binary.toRealPath();
      String version = run(binary, "-dumpversion").trim();
      String firstLine = run(binary, "--version").lines().findFirst().orElse("").trim();
      String target = run(binary, "-dumpmachine").trim();
      if (version.isEmpty() || target.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Toolchain.newBuilder().setName(name).setPath(binary.toString())
          .setVersion(gomaVersion(name, version, firstLine)).setTarget(target)
          .setBinarySha256(sha256(real)).setSize(Files.size(real)).build());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Goma's version string: dumpversion, then the --version line without its program name. */
  public static String gomaVersion(String name, String dumpVersion, String firstLine) {
    String line = firstLine.startsWith(name + " ") ? firstLine.substring(name.length() + 1) : firstLine;
    return dumpVersion + "[" + line + "]";
  }

  private static String run(Path binary, String flag) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), flag).redirectErrorStream(true);
    Map<String, String> env = new LinkedHashMap<>(pb.environment());
    pb.environment().clear();
    pb.environment().put("PATH", env.getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return "";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
    return out;
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest md = Hashing.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return Hashing.hex(md.digest());
  }
}
