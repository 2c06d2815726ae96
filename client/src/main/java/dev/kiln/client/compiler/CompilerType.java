package dev.kiln.client.compiler;

import dev.kiln.client.remote.NotRemotable;
import dev.kiln.proto.goma.ExecReq;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One kind of compiler kiln-cc can send to the farm, as Goma's client splits it: flags, compiler
 * info, input discovery and request normalization. A new type is one package implementing this
 * plus one line in {@link CompilerTypes#builtIn()}; the core (hashing, uploads, the farm round
 * trip, atomic writes, caches, fallbacks, the dashboard) is shared. See
 * docs/adding-a-compiler-type.md.
 *
 * @param <C> this type's parsed command line
 * @param <I> this type's compiler info
 */
public interface CompilerType<C extends CompileCommand, I extends CompilerDetails> {
  /** Short name shown on the dashboard ("gcc", "fake"). */
  String name();

  /** Whether this type compiles for {@code compilerName}, the file name of argv[0] ("gcc", "x86_64-linux-gnu-g++"). */
  boolean handles(String compilerName);

  /** CompilerFlags: parses argv; {@link NotRemotable} (not a fallback) if it is not a remote compile. */
  C parse(List<String> argv, Path cwd) throws NotRemotable;

  /** CompilerInfo: identifies the compiler (cached by the type: path, mtime, info flags). */
  I info(C command) throws NotRemotable;

  /** IncludeProcessor: every file the compile reads, absolute (the source included). */
  Set<Path> inputs(C command, I info) throws IOException;

  /**
   * ExecReqNormalizer: the request as its result depends on it, the key of the local output cache.
   * Drop what cannot change the outputs (the cwd, when nothing records it).
   */
  ExecReq normalize(ExecReq request, C command);
}
