package dev.kiln.client.cxx;

import dev.kiln.client.compiler.CompilerType;
import dev.kiln.client.remote.NotRemotable;
import dev.kiln.common.Executables;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.toolchain.CompilerProbe;
import dev.kiln.toolchain.DebugInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * gcc, g++, cc, c++, clang and clang++ (also with a target-triple prefix or version suffix): one source
 * compiled with -c (or -S) and -o. Inputs come from Kiln's own {@link IncludeProcessor}; system
 * headers are left to the farm's matching toolchain.
 */
public final class CxxCompilerType implements CompilerType<CxxCommand, CxxDetails> {
  private static final Pattern NAMES = Pattern.compile("([\\w.]+(-[\\w.]+)+-)?(gcc|g\\+\\+|cc|c\\+\\+|clang|clang\\+\\+)(-[0-9.]+)?");
  /** An absolute path outside the system directories, as an argument or a flag's value. */
  private static final Pattern OWN_ABSOLUTE_PATH =
      Pattern.compile("^(-(I|iquote|isystem|idirafter|include|imacros|isysroot|o|MF|MT|MQ|B|-sysroot=))?(.*[=\"'])?/(?!(usr|lib|lib32|lib64|etc|bin|sbin|dev)/)");

  private final IncludeProcessor scanner = new IncludeProcessor();
  private final CompilerInfo.Cache infos = new CompilerInfo.Cache();
  private final Map<String, Toolchain> identities = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "gcc";
  }

  @Override
  public boolean handles(String compilerName) {
    return NAMES.matcher(compilerName).matches();
  }

  @Override
  public CxxCommand parse(List<String> argv, Path cwd) throws NotRemotable {
    CompilerFlags flags;
    try {
      flags = CompilerFlags.parse(argv, cwd);
    } catch (UncheckedIOException e) {
      throw new NotRemotable(e.getMessage(), false);
    }
    boolean compiles = flags.mode() == CompilerFlags.Mode.COMPILE || flags.mode() == CompilerFlags.Mode.ASSEMBLE;
    if (!compiles || flags.inputs().size() != 1 || flags.output() == null) {
      throw new NotRemotable("not a single-source compile with -c and -o", false);
    }
    return new CxxCommand(List.copyOf(argv), cwd, flags);
  }

  @Override
  public CxxDetails info(CxxCommand command) throws NotRemotable {
    String compiler = command.argv().get(0);
    Path p = Path.of(compiler);
    Path binary = p.isAbsolute() ? p : Executables.find(compiler).orElse(null);
    if (binary == null || !Files.isExecutable(binary)) {
      throw new NotRemotable("compiler " + compiler + " not found", false);
    }
    Toolchain id = identities.computeIfAbsent(binary + "\0" + mtime(binary),
        k -> CompilerProbe.describe(p.getFileName().toString(), binary).orElse(Toolchain.getDefaultInstance()));
    if (id.getBinarySha256().isEmpty()) {
      throw new NotRemotable("compiler " + compiler + " is not a gcc or clang", false);
    }
    CompilerFlags flags = command.flags();
    return new CxxDetails(id, infos.get(compiler, flags.isCxx(), flags.infoFlags()));
  }

  @Override
  public Set<Path> inputs(CxxCommand command, CxxDetails info) {
    Set<Path> inputs = new LinkedHashSet<>(scanner.inputs(command.flags().inputs().get(0), command.flags(), info.info()));
    for (String a : command.argv()) {
      if (a.startsWith("@") && a.length() > 1) {
        inputs.add(command.cwd().resolve(a.substring(1)).normalize());
      }
    }
    return inputs;
  }

  /**
   * Without debug info and without absolute paths of its own, a compile's outputs do not depend on
   * where the checkout is: the cwd leaves the key, so checkouts at different paths share entries.
   */
  @Override
  public ExecReq normalize(ExecReq request, CxxCommand command) {
    List<String> args = command.flags().args().subList(1, command.flags().args().size());
    boolean absolute = request.getInputList().stream().anyMatch(in -> in.getFilename().startsWith("/"))
        || args.stream().anyMatch(a -> OWN_ABSOLUTE_PATH.matcher(a).lookingAt());
    return DebugInfo.requested(args) || absolute ? request : request.toBuilder().clearCwd().buildPartial();
  }

  private static long mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return -1;
    }
  }
}
