package dev.kiln.client.compiler;

import dev.kiln.client.cxx.CxxCompilerType;
import dev.kiln.client.fake.FakeCompilerType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The compiler types kiln-cc knows, asked in order: the first that handles argv[0] wins. */
public record CompilerTypes(List<CompilerType<?, ?>> types) {

  /** Every built-in type; registering a new one is one line here. */
  public static CompilerTypes builtIn() {
    return new CompilerTypes(List.of(
        new CxxCompilerType(),
        new FakeCompilerType()));
  }

  public Optional<CompilerType<?, ?>> find(String compiler) {
    String name = Path.of(compiler).getFileName().toString();
    return types.stream().filter(t -> t.handles(name)).findFirst();
  }
}
