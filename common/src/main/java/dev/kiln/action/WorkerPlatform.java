package dev.kiln.action;

import build.bazel.remote.execution.v2.Platform;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.toolchain.CompilerProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a worker offers to {@link PlatformRequirements}: {@code OSFamily} (from os.name, e.g.
 * Linux), {@code ISA} (from os.arch: amd64 is x86-64), its {@code pool}, and one {@value
 * CompilerProbe#PROPERTY} per compiler it carries, the value Goma actions are keyed with. The
 * worker announces it in its heartbeat and checks each action against it before running.
 */
public final class WorkerPlatform {
  private WorkerPlatform() {}

  public static List<Platform.Property> offered(String pool, List<Toolchain> toolchains) {
    return offered(System.getProperty("os.name"), System.getProperty("os.arch"), pool, toolchains);
  }

  static List<Platform.Property> offered(String osName, String osArch, String pool, List<Toolchain> toolchains) {
    List<Platform.Property> out = new ArrayList<>();
    out.add(property("OSFamily", osName));
    out.add(property("ISA", isa(osArch)));
    out.add(property("pool", pool));
    toolchains.stream().map(CompilerProbe::identity).distinct().sorted().forEach(v -> out.add(property(CompilerProbe.PROPERTY, v)));
    return out;
  }

  /** REAPI's lexicon: x86-64, aarch64, ... from Java's os.arch. */
  static String isa(String osArch) {
    String a = osArch.toLowerCase(Locale.ROOT);
    return switch (a) {
      case "amd64", "x86_64" -> "x86-64";
      case "arm64" -> "aarch64";
      case "x86", "i386", "i686" -> "x86-32";
      default -> a;
    };
  }

  private static Platform.Property property(String name, String value) {
    return Platform.Property.newBuilder().setName(name).setValue(value).build();
  }
}
