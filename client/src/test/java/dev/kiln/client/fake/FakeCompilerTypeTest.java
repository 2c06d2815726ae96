package dev.kiln.client.fake;

import dev.kiln.client.compiler.CompilerType;
import dev.kiln.client.compiler.CompilerTypeContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class FakeCompilerTypeTest extends CompilerTypeContract<FakeCommand, FakeDetails> {
  @Override
  protected CompilerType<FakeCommand, FakeDetails> type() {
    return new FakeCompilerType();
  }

  @Override
  protected List<String> compileOfASourceWithOneInclude() throws Exception {
    Path compiler = FakeCompiler.install(dir.resolve("bin"));
    Files.createDirectories(dir.resolve("inc"));
    Files.writeString(dir.resolve("inc/b.txt"), "included\n");
    Files.writeString(dir.resolve("a.txt"), "first\n#include \"inc/b.txt\"\n");
    return List.of(compiler.toString(), "-c", "a.txt", "-o", "a.out");
  }

  @Override
  protected Path theIncludedFile() {
    return dir.resolve("inc/b.txt");
  }

  @Override
  protected List<String> notARemoteCompile() {
    return List.of("fake-cc", "--version");
  }
}
