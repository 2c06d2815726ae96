package dev.kiln.client.remote;

import com.google.protobuf.ByteString;
import dev.kiln.client.cxx.CompilerFlags;
import dev.kiln.client.cxx.CompilerInfo;
import dev.kiln.client.cxx.IncludeProcessor;
import dev.kiln.common.Executables;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.RequesterInfo;
import dev.kiln.toolchain.CompilerProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kiln-cc's remote path: one gcc/clang compile sent to the farm over the Goma protocol. It parses
 * the command line, lists the inputs with Kiln's include processor (system headers are left to
 * the farm's matching toolchain), describes the compiler so the farm runs the same binary, sends
 * /e through a {@link GomaExec} (re-sending whatever the farm reports missing), and writes each
 * output atomically (a temporary file renamed into place: never a partial or wrong object).
 */
public final class GomaRemoteCompiler {
  private static final int MAX_TRIES = 4;
  private static final Set<String> SYSTEM_DIRS = Set.of("/usr/", "/lib/", "/lib64/", "/lib32/", "/bin/", "/sbin/", "/etc/");

  private final GomaExec farm;
  private final IncludeProcessor scanner;
  private final CompilerInfo.Cache infos;
  private final Map<String, Toolchain> compilers = new ConcurrentHashMap<>();

  public GomaRemoteCompiler(GomaExec farm, IncludeProcessor scanner, CompilerInfo.Cache infos) {
    this.farm = farm;
    this.scanner = scanner;
    this.infos = infos;
  }

  public CompileResult compile(java.util.List<String> argv, Path cwd) throws NotRemotable, IOException, InterruptedException {
    CompilerFlags flags = CompilerFlags.parse(argv, cwd);
    if (flags.mode() != CompilerFlags.Mode.COMPILE || flags.inputs().size() != 1 || flags.output() == null) {
      throw new NotRemotable("not a single-source compile with -c and -o", false);
    }
    Toolchain compiler = identify(argv.get(0));
    Set<Path> inputs = scanner.inputs(flags.inputs().get(0), flags, infos.get(argv.get(0), flags.isCxx(), flags.infoFlags()));
    ExecReq.Builder req = ExecReq.newBuilder()
        .setCommandSpec(CommandSpec.newBuilder().setName(compiler.getName()).setVersion(compiler.getVersion()).setTarget(compiler.getTarget())
            .setBinaryHash(ByteString.copyFromUtf8(compiler.getBinarySha256())).setLocalCompilerPath(compiler.getPath()))
        .addAllArg(argv).setCwd(cwd.toString()).addExpectedOutputFiles(cwd.relativize(flags.output()).toString())
        .setRequesterInfo(RequesterInfo.newBuilder().setCompilerProxyId("kiln-cc/" + UUID.randomUUID()).setPathStyle(RequesterInfo.PathStyle.POSIX_STYLE));
    if (flags.depfile() != null) {
      req.addExpectedOutputFiles(cwd.relativize(flags.depfile()).toString());
    }
    for (Path in : inputs) {
      String abs = in.toString();
      if (SYSTEM_DIRS.stream().noneMatch(abs::startsWith)) {
        FileBlob blob = fileBlob(Files.readAllBytes(in));
        String name = in.startsWith(cwd) ? cwd.relativize(in).toString() : abs;
        req.addInput(ExecReq.Input.newBuilder().setFilename(name).setHashKey(Hashing.sha256Hex(blob.toByteArray())).setContent(blob));
      }
    }
    ExecResp resp = farm.exec(req.build());
    for (int tries = 1; !resp.getMissingInputList().isEmpty() && tries < MAX_TRIES; tries++) {
      resp = farm.exec(req.build());
    }
    if (resp.getError() == ExecResp.ExecError.BAD_REQUEST || resp.getErrorMessageCount() > 0 || !resp.getMissingInputList().isEmpty()) {
      throw new NotRemotable("farm refused: " + String.join("; ", resp.getErrorMessageList()) + resp.getMissingInputList(), true);
    }
    ExecResult result = resp.getResult();
    if (result.getExitStatus() == 0) {
      for (ExecResult.Output out : result.getOutputList()) {
        writeAtomically(cwd.resolve(out.getFilename()), out.getBlob().getContent().toByteArray(), out.getIsExecutable());
      }
    }
    return new CompileResult(result.getExitStatus(), result.getStdoutBuffer().toByteArray(), result.getStderrBuffer().toByteArray(),
        resp.getCacheHit());
  }

  private Toolchain identify(String compiler) throws NotRemotable {
    Toolchain t = compilers.computeIfAbsent(compiler, c -> {
      Path p = Path.of(c);
      Path found = p.isAbsolute() ? p : Executables.find(c).orElse(null);
      return found == null ? Toolchain.getDefaultInstance()
          : CompilerProbe.describe(p.getFileName().toString(), found).orElse(Toolchain.getDefaultInstance());
    });
    if (t.getBinarySha256().isEmpty()) {
      throw new NotRemotable("compiler " + compiler + " not found or not a gcc/clang", false);
    }
    return t;
  }

  static FileBlob fileBlob(byte[] data) {
    return FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(data.length).setContent(ByteString.copyFrom(data)).build();
  }

  static void writeAtomically(Path target, byte[] data, boolean executable) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".kiln-" + UUID.randomUUID());
    Files.write(tmp, data);
    if (executable) {
      tmp.toFile().setExecutable(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
