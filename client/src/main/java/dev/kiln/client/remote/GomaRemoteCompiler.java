package dev.kiln.client.remote;

import com.google.protobuf.ByteString;
import dev.kiln.client.compiler.CompileCommand;
import dev.kiln.client.compiler.CompilerDetails;
import dev.kiln.client.compiler.CompilerType;
import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.common.SystemDirs;
import dev.kiln.goma.FileBlobs;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.RequesterInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * kiln-cc's remote path, the same for every compiler type: the type parses the command line,
 * identifies the compiler and lists the inputs; the core names each input by its Goma hash key,
 * ships content only for files the farm has not acknowledged yet (and whatever the farm reports
 * missing: the missing-input loop), sends /e through a {@link GomaExec}, and writes each output
 * atomically (a temporary file renamed into place: never a partial or wrong object), only once the
 * whole answer names exactly the declared outputs ({@link DeclaredOutputs}; else {@link RefusedAnswer}). Inputs under
 * the system directories are left to the farm's matching toolchain.
 */
public final class GomaRemoteCompiler implements Compiler {
  private static final int MAX_TRIES = 4;
  private static final int MAX_REMEMBERED_UPLOADS = 1_000_000;

  private final GomaExec farm;
  private final CompilerTypes types;
  private final FileHashes hashes;
  private final Set<String> uploaded = ConcurrentHashMap.newKeySet();
  private final Map<String, CompilerDetails> compilers = new ConcurrentHashMap<>();

  public GomaRemoteCompiler(GomaExec farm, CompilerTypes types, FileHashes hashes) {
    this.farm = farm;
    this.types = types;
    this.hashes = hashes;
  }

  @Override
  public Map<String, CompilerDetails> compilers() {
    return new TreeMap<>(compilers);
  }

  /** A compile nobody watches (tests, benchmarks). */
  public CompileResult compile(List<String> argv, Path cwd) throws NotRemotable, IOException, InterruptedException {
    return compile(argv, cwd, new CompileTask(0, String.join(" ", argv), java.time.Clock.systemUTC()));
  }

  @Override
  public CompileResult compile(List<String> argv, Path cwd, CompileTask task) throws NotRemotable, IOException, InterruptedException {
    return compile(argv, cwd, task, () -> true);
  }

  /**
   * As {@link #compile(List, Path, CompileTask)}, but outputs are written only if {@code mayWrite}
   * says yes when the result is in (race mode: the local compile may have won).
   */
  public CompileResult compile(List<String> argv, Path cwd, CompileTask task, BooleanSupplier mayWrite)
      throws NotRemotable, IOException, InterruptedException {
    if (argv.isEmpty()) {
      throw new NotRemotable("empty command line", false);
    }
    CompilerType<?, ?> type = types.find(argv.get(0)).orElseThrow(() -> new NotRemotable("no compiler type handles " + argv.get(0), false));
    return compile(type, argv, cwd, task, mayWrite);
  }

  private <C extends CompileCommand, I extends CompilerDetails> CompileResult compile(CompilerType<C, I> type, List<String> argv, Path cwd,
      CompileTask task, BooleanSupplier mayWrite) throws NotRemotable, IOException, InterruptedException {
    C command = type.parse(argv, cwd);
    task.phase("flag parse");
    I info = type.info(command);
    compilers.put(type.name() + " " + info.toolchain().getPath(), info);
    task.phase("compiler info");
    Set<Path> inputs = type.inputs(command, info);
    task.inputs(inputs);
    task.phase("include scan");

    DeclaredOutputs outputs = new DeclaredOutputs(command.cwd(), command.outputs());
    ExecReq.Builder req = request(command, info.toolchain(), outputs);
    Map<String, Path> byName = new HashMap<>();
    for (Path in : inputs) {
      if (!SystemDirs.contains(in)) {
        String name = in.startsWith(cwd) ? cwd.relativize(in).toString() : in.toString();
        FileHashes.Hashed h = hashes.hash(in);
        ExecReq.Input.Builder input = ExecReq.Input.newBuilder().setFilename(name).setHashKey(h.key());
        if (!uploaded.contains(h.key())) {
          input.setContent(upload(h.content() != null ? h.content() : Files.readAllBytes(in)));
        }
        req.addInput(input);
        byName.put(name, in);
      }
    }
    task.phase("upload");

    ExecResp resp = send(type, req.build(), command);
    for (int tries = 1; !resp.getMissingInputList().isEmpty() && tries < MAX_TRIES; tries++) {
      addMissingContent(req, resp.getMissingInputList(), byName);
      resp = send(type, req.build(), command);
    }
    task.phase("remote wait");
    if (resp.getError() == ExecResp.ExecError.BAD_REQUEST || resp.getErrorMessageCount() > 0 || !resp.getMissingInputList().isEmpty()) {
      throw new NotRemotable("farm refused: " + String.join("; ", resp.getErrorMessageList()) + resp.getMissingInputList(), true);
    }
    if (resp.getCacheHit() != ExecResp.CacheSource.LOCAL_OUTPUT_CACHE) {
      rememberUploads(req);
    }
    ExecResult result = resp.getResult();
    if (result.getExitStatus() == 0) {
      // every output checked before any is written (and before race mode stops the local run)
      Map<Path, ExecResult.Output> placed = outputs.place(result.getOutputList());
      if (mayWrite.getAsBoolean()) {
        DeclaredOutputs.write(placed);
      }
    }
    task.phase("output write");
    return new CompileResult(result.getExitStatus(), result.getStdoutBuffer().toByteArray(), result.getStderrBuffer().toByteArray(),
        resp.getCacheHit());
  }

  /** One /e, keyed by the type's normalization of the request (built once per try). */
  private <C extends CompileCommand> ExecResp send(CompilerType<C, ?> type, ExecReq req, C command) throws IOException, InterruptedException {
    return farm.exec(req, type.normalize(req, command));
  }

  private static ExecReq.Builder request(CompileCommand command, Toolchain compiler, DeclaredOutputs outputs) {
    ExecReq.Builder req = ExecReq.newBuilder()
        .setCommandSpec(CommandSpec.newBuilder().setName(compiler.getName()).setVersion(compiler.getVersion()).setTarget(compiler.getTarget())
            .setBinaryHash(ByteString.copyFromUtf8(compiler.getBinarySha256())).setLocalCompilerPath(compiler.getPath()))
        .addAllArg(command.argv()).setCwd(command.cwd().toString())
        .setRequesterInfo(RequesterInfo.newBuilder().setCompilerProxyId("kiln-cc/" + UUID.randomUUID()).setPathStyle(RequesterInfo.PathStyle.POSIX_STYLE));
    outputs.names().forEach(req::addExpectedOutputFiles);
    return req;
  }

  /** The farm lost or never had these: send their content with the next try. */
  private void addMissingContent(ExecReq.Builder req, List<String> missing, Map<String, Path> byName) throws IOException, InterruptedException {
    for (ExecReq.Input.Builder in : req.getInputBuilderList()) {
      if (missing.contains(in.getFilename()) && !in.hasContent()) {
        in.setContent(upload(Files.readAllBytes(byName.get(in.getFilename()))));
      }
    }
  }

  /** The blob a request embeds for this content; a file over 2 MiB has its chunks stored first (/s) and travels as FILE_META. */
  private FileBlob upload(byte[] content) throws IOException, InterruptedException {
    FileBlobs.Split split = FileBlobs.split(content);
    if (!split.chunks().isEmpty()) {
      farm.store(split.chunks());
    }
    return split.top();
  }

  /** The farm accepted the request: it has every input, so later requests send only their keys. */
  private void rememberUploads(ExecReq.Builder req) {
    if (uploaded.size() > MAX_REMEMBERED_UPLOADS) {
      uploaded.clear(); // forgetting only costs a resend
    }
    req.getInputList().forEach(in -> uploaded.add(in.getHashKey()));
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
