package dev.kiln.client.cxx;

import dev.kiln.client.compiler.CompilerDetails;
import dev.kiln.proto.events.Toolchain;
import java.util.LinkedHashMap;
import java.util.Map;

/** A gcc/clang: its identity, and what it adds to compiles with the command's info flags. */
public record CxxDetails(Toolchain toolchain, CompilerInfo info) implements CompilerDetails {
  @Override
  public Map<String, String> facts() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("system include dirs", String.join(" ", info.systemIncludeDirs().stream().map(Object::toString).toList()));
    m.put("predefined macros", Long.toString(info.predefinedMacros().lines().count()));
    return m;
  }
}
