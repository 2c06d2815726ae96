package dev.kiln.client.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The proxy's per-user secret: 32 random bytes, hex, in {@code <dir>/proxy-<port>.secret}, readable
 * only by the user (0600 in a 0700 directory). Why: the proxy listens on 127.0.0.1, where every
 * local user and every web page the user's browser opens can reach it; only a caller that can read
 * the user's file (kiln-cc, {@code bin/kiln proxy stop}) may compile or stop it. The file is
 * published once the port is bound (a second proxy that fails to bind never overwrites the running
 * one's) and removed on close.
 */
public final class ProxySecret {
  private final String value;
  private final Path dir;

  private ProxySecret(String value, Path dir) {
    this.value = value;
    this.dir = dir;
  }

  /** A fresh secret whose files go in {@code dir}. */
  public static ProxySecret random(Path dir) {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new ProxySecret(HexFormat.of().formatHex(b), dir);
  }

  /**
   * Where kiln-cc, bin/kiln-cc and bin/kiln look (the same rule in all three): {@code
   * $XDG_RUNTIME_DIR/kiln} when XDG_RUNTIME_DIR names a directory (per user, 0700, cleared at
   * logout), else {@code $HOME/.cache/kiln}.
   */
  public static Path defaultDir(Map<String, String> env) {
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isEmpty() && Files.isDirectory(Path.of(runtime))) {
      return Path.of(runtime, "kiln");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home.isEmpty() ? System.getProperty("user.home") : home, ".cache", "kiln");
  }

  public Path file(int port) {
    return dir.resolve("proxy-" + port + ".secret");
  }

  /** Whether {@code presented} (a header value, may be null) is the secret; constant time. */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII), presented.strip().getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes the file for {@code port}: created 0600 under a temporary name, then renamed into place. */
  void publish(int port) throws IOException {
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path tmp = dir.resolve(".proxy-" + port + ".secret." + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, value + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, file(port), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    file(port).toFile().deleteOnExit();
  }

  /** Removes the file for {@code port} if it still holds this secret (another proxy may own it by now). */
  void withdraw(int port) {
    try {
      if (matches(Files.readString(file(port), StandardCharsets.US_ASCII))) {
        Files.deleteIfExists(file(port));
      }
    } catch (IOException e) {
      // already gone or unreadable: nothing of ours to remove
    }
  }
}
