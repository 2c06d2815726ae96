package dev.kiln.client.cxx;

import dev.kiln.client.compiler.CompileCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A gcc/clang compile of one source with -c and -o: its parsed flags and the outputs (object, depfile). */
public record CxxCommand(List<String> argv, Path cwd, CompilerFlags flags) implements CompileCommand {
  @Override
  public List<Path> outputs() {
    List<Path> out = new ArrayList<>(List.of(flags.output()));
    if (flags.depfile() != null) {
      out.add(flags.depfile());
    }
    return out;
  }
}
