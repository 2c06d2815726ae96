package dev.kiln.client.compiler;

import dev.kiln.proto.events.Toolchain;
import java.util.Map;

/** What a compiler type found out about one compiler: its identity for the farm, and facts to show. */
public interface CompilerDetails {
  /** Name, version (Goma's format), target, binary SHA-256 and local path: the request's command spec. */
  Toolchain toolchain();

  /** Anything else worth showing at /compilerinfoz (search directories, ...), in display order. */
  Map<String, String> facts();
}
