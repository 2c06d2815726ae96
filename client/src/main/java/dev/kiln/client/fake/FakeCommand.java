package dev.kiln.client.fake;

import dev.kiln.client.compiler.CompileCommand;
import java.nio.file.Path;
import java.util.List;

/** {@code fake-cc -c SOURCE -o OUTPUT}, parsed. */
public record FakeCommand(List<String> argv, Path cwd, Path source, Path output) implements CompileCommand {
  @Override
  public List<Path> outputs() {
    return List.of(output);
  }
}
