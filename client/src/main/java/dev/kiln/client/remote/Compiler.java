package dev.kiln.client.remote;

import dev.kiln.client.compiler.CompilerDetails;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the proxy asks of a compile path: run one invocation, and say which compilers it has seen. */
public interface Compiler {
  CompileResult compile(List<String> argv, Path cwd, CompileTask task) throws NotRemotable, IOException, InterruptedException;

  /** Every compiler seen so far, by type and path: what /compilerinfoz shows. */
  Map<String, CompilerDetails> compilers();
}
