package dev.kiln.client.fake;

import dev.kiln.client.compiler.CompilerType;
import dev.kiln.client.remote.NotRemotable;
import dev.kiln.common.Executables;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.ExecReq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Goma's "fake" compiler type, kept as the worked example of a compiler type and for tests of the
 * core: {@code fake-cc -c SOURCE -o OUTPUT} writes SOURCE with every line {@code #include "FILE"}
 * replaced by FILE (relative to the including file), recursively ({@code FakeCompiler} in the
 * tests is the program). Nothing in its output depends on paths, so the cwd never enters the key.
 */
public final class FakeCompilerType implements CompilerType<FakeCommand, FakeDetails> {
  public static final String COMPILER = "fake-cc";

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public boolean handles(String compilerName) {
    return compilerName.equals(COMPILER);
  }

  @Override
  public FakeCommand parse(List<String> argv, Path cwd) throws NotRemotable {
    if (argv.size() != 5 || !argv.get(1).equals("-c") || !argv.get(3).equals("-o")) {
      throw new NotRemotable("fake-cc compiles only as: fake-cc -c SOURCE -o OUTPUT", false);
    }
    return new FakeCommand(List.copyOf(argv), cwd, cwd.resolve(argv.get(2)).normalize(), cwd.resolve(argv.get(4)).normalize());
  }

  @Override
  public FakeDetails info(FakeCommand command) throws NotRemotable {
    String compiler = command.argv().get(0);
    Path binary = Path.of(compiler).isAbsolute() ? Path.of(compiler) : Executables.find(compiler).orElse(null);
    try {
      if (binary == null) {
        throw new NotRemotable("compiler " + compiler + " not found", false);
      }
      String sha256 = Hashing.sha256Hex(Files.readAllBytes(binary));
      return new FakeDetails(Toolchain.newBuilder().setName(COMPILER).setVersion("1.0[fake]").setTarget("fake").setBinarySha256(sha256)
          .setPath(binary.toString()).build());
    } catch (IOException e) {
      throw new NotRemotable("compiler " + compiler + " unreadable: " + e.getMessage(), false);
    }
  }

  @Override
  public Set<Path> inputs(FakeCommand command, FakeDetails info) throws IOException {
    Set<Path> seen = new LinkedHashSet<>();
    Deque<Path> todo = new ArrayDeque<>(List.of(command.source()));
    while (!todo.isEmpty()) {
      Path file = todo.pop();
      if (seen.add(file)) {
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith("#include \"") && line.endsWith("\"")) {
            todo.add(file.resolveSibling(line.substring(10, line.length() - 1)).normalize());
          }
        }
      }
    }
    return seen;
  }

  @Override
  public ExecReq normalize(ExecReq request, FakeCommand command) {
    return request.toBuilder().clearCwd().buildPartial();
  }
}
