package dev.kiln.client.compiler;

import java.nio.file.Path;
import java.util.List;

/** What the core needs from any compiler type's parsed command line. */
public interface CompileCommand {
  /** The command line as the build tool gave it (argv[0] is the compiler). */
  List<String> argv();

  /** The directory it runs in. */
  Path cwd();

  /** Every file the compile writes, absolute; the farm returns exactly these. */
  List<Path> outputs();
}
