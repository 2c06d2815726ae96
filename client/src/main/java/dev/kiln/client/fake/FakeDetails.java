package dev.kiln.client.fake;

import dev.kiln.client.compiler.CompilerDetails;
import dev.kiln.proto.events.Toolchain;
import java.util.Map;

/** A fake compiler has nothing to show beyond its identity. */
public record FakeDetails(Toolchain toolchain) implements CompilerDetails {
  @Override
  public Map<String, String> facts() {
    return Map.of();
  }
}
