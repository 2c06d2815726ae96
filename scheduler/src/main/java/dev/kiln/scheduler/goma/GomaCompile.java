package dev.kiln.scheduler.goma;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.Platform;
import dev.kiln.action.InputRootPath;
import dev.kiln.ac.ActionCache;
import dev.kiln.ac.ActionKey;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.goma.FileBlobs;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.scheduler.Blocking;
import dev.kiln.scheduler.exec.ExecutionCoordinator;
import dev.kiln.scheduler.exec.OperationOutcome;
import dev.kiln.scheduler.exec.fair.Tenant;
import dev.kiln.scheduler.records.ActionJournal;
import dev.kiln.scheduler.records.Requester;
import dev.kiln.toolchain.CompilerProbe;
import dev.kiln.toolchain.DebugInfo;
import dev.kiln.tree.InputRootBuilder;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Goma {@code /e}: pick the toolchain the client asked for among the workers' compilers, lay the
 * inputs out under an exec root (asking the client for any it did not send, the missing-input
 * loop), turn the request into the same REAPI Action a worker runs for any client, admit it
 * through the same coordinator (action cache, dedup, Kafka, workers), and translate the result.
 *
 * <p>Normalization happens by construction: the Action holds the exec root only as the worker's
 * fixed mount point, paths relative to it, the compiler's path on the worker, and the environment
 * without PWD; requester info, the client's absolute directories and its compiler path are not part
 * of it, so identical compiles from different checkouts share one action-cache entry. The exception
 * is a compile whose output records absolute paths (see {@link #recordsAbsolutePaths}).
 */
public final class GomaCompile {
  /** Environment entries that can change a gcc/clang compile (goma-protocol.md §1.8). */
  static final List<String> SERVER_ENV = List.of("LIBRARY_PATH", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH",
      "OBJC_INCLUDE_PATH", "DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES", "MACOSX_DEPLOYMENT_TARGET", "SDKROOT", "FORCE_DISABLE_WERROR");

  private final ToolchainCatalog toolchains;
  private final GomaFileService files;
  private final BlobStore cas;
  private final ActionCache actionCache;
  private final Blocking blocking;
  private final ExecutionCoordinator coordinator;
  private final OperationOutcome outcomes;
  private final GomaResults results;
  private final boolean arbitraryToolchains;
  private final ActionJournal journal;
  /** Goma hash key to content digest, for inputs this node has resolved before. */
  private final Map<String, Digest> keyDigests = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_KEY_DIGESTS = 1_000_000;

  public GomaCompile(ToolchainCatalog toolchains, GomaFileService files, BlobStore cas, ActionCache actionCache, Blocking blocking,
      ExecutionCoordinator coordinator, OperationOutcome outcomes, boolean arbitraryToolchains, ActionJournal journal) {
    this.journal = journal;
    this.toolchains = toolchains;
    this.files = files;
    this.cas = cas;
    this.actionCache = actionCache;
    this.blocking = blocking;
    this.coordinator = coordinator;
    this.outcomes = outcomes;
    this.results = new GomaResults(cas, files);
    this.arbitraryToolchains = arbitraryToolchains;
  }

  /**
   * Runs {@code req}; with {@code cacheOnly} nothing is stored or executed: a cached result is
   * served, and a miss is answered with BAD_REQUEST so the client compiles locally. Cache answers and
   * admissions are reported to the journal as {@code who}'s.
   */
  public Future<ExecResp> exec(ExecReq req, boolean cacheOnly, Requester who) {
    // Before anything else, and in arbitrary-toolchain mode too: no flag may run another program.
    CompilerFlagPolicy.check(req.getArgList().subList(Math.min(1, req.getArgCount()), req.getArgCount()));
    Future<Optional<Toolchain>> selected = req.getToolchainIncluded()
        ? Future.succeededFuture(Optional.of(clientToolchain(req))) : toolchains.select(req.getCommandSpec());
    return selected.compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(unknownCompiler(req.getCommandSpec()));
      }
      Toolchain toolchain = found.get();
      GomaLayout layout = GomaLayout.of(req, GomaOutputs.of(req));
      checkEmbeddedKeys(req);
      return blocking.runAsync(() -> resolveInputs(layout, !cacheOnly)).compose(resolved -> {
        if (!resolved.missing().isEmpty()) {
          ExecResp.Builder resp = ExecResp.newBuilder().setResult(ExecResult.newBuilder().setExitStatus(-1));
          resolved.missing().forEach((name, why) -> resp.addMissingInput(name).addMissingReason(why));
          return Future.succeededFuture(resp.build());
        }
        return run(req, layout, resolved.digests(), toolchain, cacheOnly, who);
      });
    });
  }

  private record Resolved(Map<String, Digest> digests, Map<String, String> missing) {}

  private Future<ExecResp> run(ExecReq req, GomaLayout layout, Map<String, Digest> digests, Toolchain toolchain, boolean cacheOnly,
      Requester who) {
    InputRootBuilder tree = new InputRootBuilder().addDirectory(layout.workingDirectory());
    java.util.Set<String> executable = executables(req, layout);
    digests.forEach((path, d) -> tree.addFile(path, d, executable.contains(path)));
    InputRootBuilder.Built root = tree.build();
    boolean atClientPath = recordsAbsolutePaths(req, layout) && InputRootPath.usable(layout.root().toString());
    Command command = command(req, layout, toolchain, atClientPath);
    Action action = action(req, command, root.root(), platform(toolchain, atClientPath ? layout.root().toString() : null));
    Digest actionDigest = Digest.of(action.toByteArray());
    // A hit is answered before anything is stored: the Directory, Command and Action blobs are
    // only needed by a worker.
    Future<Optional<build.bazel.remote.execution.v2.ActionResult>> cached = req.getCachePolicy() == ExecReq.CachePolicy.STORE_ONLY
        ? Future.succeededFuture(Optional.empty()) : Blocking.onContext(actionCache.get(new ActionKey("", actionDigest)));
    return cached.compose(hit -> {
      if (hit.isPresent() && hit.get().getExitCode() == 0) {
        journal.served(who, actionDigest, hit.get());
        return Blocking.onContext(results.toExecResp(ExecuteResponse.newBuilder().setResult(hit.get()).setCachedResult(true).build(), toolchain, true));
      }
      if (cacheOnly) {
        return Future.succeededFuture(ExecResp.newBuilder().setError(ExecResp.ExecError.BAD_REQUEST)
            .addErrorMessage("cache-only access and no cached result: compile locally")
            .setResult(ExecResult.newBuilder().setExitStatus(-1)).build());
      }
      return storeAndAdmit(req, root, command, action, actionDigest, toolchain, who);
    });
  }

  private Future<ExecResp> storeAndAdmit(ExecReq req, InputRootBuilder.Built root, Command command, Action action, Digest actionDigest,
      Toolchain toolchain, Requester who) {
    List<CompletionStage<Void>> uploads = new ArrayList<>();
    root.directories().forEach((d, dir) -> uploads.add(cas.put(d, dir.toByteArray())));
    uploads.add(cas.put(Digest.of(command.toByteArray()), command.toByteArray()));
    uploads.add(cas.put(actionDigest, action.toByteArray()));
    ExecuteRequest execute = ExecuteRequest.newBuilder().setInstanceName("").setActionDigest(actionDigest.toProto())
        .setSkipCacheLookup(req.getCachePolicy() == ExecReq.CachePolicy.STORE_ONLY).build();
    return Blocking.onContext(Futures.all(uploads).thenCompose(v -> coordinator.admit(execute, new Tenant(who.user(), who.build())))).compose(adm -> {
      adm.cached().ifPresentOrElse(c -> journal.served(who, actionDigest, c.getResult()), () -> journal.admitted(who, adm.operationName(), actionDigest));
      Future<build.bazel.remote.execution.v2.ExecuteResponse> response = adm.cached().isPresent()
          ? Future.succeededFuture(adm.cached().get()) : outcomes.await(adm.operationName());
      return response.compose(r -> Blocking.onContext(results.toExecResp(r, toolchain, adm.cached().isPresent())));
    });
  }

  static Action action(ExecReq req, Command command, Digest inputRoot, Platform platform) {
    return Action.newBuilder().setCommandDigest(Digest.of(command.toByteArray()).toProto()).setInputRootDigest(inputRoot.toProto())
        .setDoNotCache(req.getCachePolicy() == ExecReq.CachePolicy.LOOKUP_ONLY).setPlatform(platform).build();
  }

  /**
   * The Action's platform, sorted by name as REAPI wants: {@value CompilerProbe#PROPERTY} names the
   * toolchain that will run (its binary hash and the digest of the system files the worker supplies
   * instead of the client's), so compiles on different compilers or system headers never share a
   * cache entry and run only on workers carrying exactly that toolchain; {@code clientRoot}
   * (nullable) asks for the exec root at the client's path. A client-supplied (arbitrary) toolchain
   * has no binary hash and names nothing: its binary is an input, already in the key.
   */
  static Platform platform(Toolchain toolchain, String clientRoot) {
    Platform.Builder p = Platform.newBuilder();
    if (clientRoot != null) {
      p.addProperties(Platform.Property.newBuilder().setName(InputRootPath.PROPERTY).setValue(clientRoot));
    }
    if (!toolchain.getBinarySha256().isEmpty()) {
      p.addProperties(Platform.Property.newBuilder().setName(CompilerProbe.PROPERTY).setValue(CompilerProbe.identity(toolchain)));
    }
    return p.build();
  }

  /**
   * The worker's command. With {@code atClientPath} the exec root is mounted where the client has
   * it, so arguments stay as they are; otherwise absolute paths into it are relocated.
   */
  static Command command(ExecReq req, GomaLayout layout, Toolchain toolchain, boolean atClientPath) {
    Command.Builder c = Command.newBuilder().addArguments(toolchain.getPath());
    java.nio.file.Path cwd = java.nio.file.Path.of(req.getCwd()).normalize();
    for (String arg : req.getArgList().subList(Math.min(1, req.getArgCount()), req.getArgCount())) {
      c.addArguments(atClientPath ? arg : relocate(arg, cwd, layout.root()));
    }
    Map<String, String> env = new TreeMap<>();
    env.put("PATH", "/usr/bin:/bin");
    for (String kv : req.getEnvList()) {
      int eq = kv.indexOf('=');
      if (eq > 0 && SERVER_ENV.contains(kv.substring(0, eq))) {
        env.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    env.forEach((k, v) -> c.addEnvironmentVariables(Command.EnvironmentVariable.newBuilder().setName(k).setValue(v)));
    return c.setWorkingDirectory(layout.workingDirectory()).addAllOutputFiles(layout.outputs().stream().sorted().toList()).build();
  }

  /**
   * Whether the outputs would record where the exec root is: debug info (DW_AT_comp_dir and file
   * names), or an absolute path into it among the arguments (-I/abs makes __FILE__ absolute). Such
   * compiles run with the exec root at the client's path, so their objects are byte-identical to a
   * local compile; the price is that they share cache entries only with the same checkout path.
   * Everything else runs at the fixed path and is shared across checkouts.
   */
  static boolean recordsAbsolutePaths(ExecReq req, GomaLayout layout) {
    List<String> args = req.getArgList().subList(Math.min(1, req.getArgCount()), req.getArgCount());
    java.util.regex.Pattern root = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(layout.root().toString()) + "(?![\\w.+-])");
    return DebugInfo.requested(args) || args.stream().anyMatch(arg -> root.matcher(arg).find());
  }

  /**
   * Arbitrary-toolchain mode: the client ships its compiler among the inputs and names it in
   * toolchain_specs. Allowed only when the operator turned it on; the binary runs in the sandbox
   * like any action. The Toolchain returned is synthetic: its path is the compiler as the client
   * named it (relative to the cwd), and it carries no binary hash, so no command_spec is echoed.
   */
  private Toolchain clientToolchain(ExecReq req) {
    if (!arbitraryToolchains) {
      throw FarmException.invalidArgument("arbitrary toolchains are turned off on this server (front node option --goma-arbitrary-toolchains)");
    }
    if (req.getRequesterInfo().getDimensionsCount() == 0) {
      throw FarmException.invalidArgument("No dimensions are specified");
    }
    String compiler = req.getCommandSpec().getLocalCompilerPath();
    if (compiler.isEmpty() && req.getToolchainSpecsCount() > 0) {
      compiler = req.getToolchainSpecs(0).getPath();
    }
    if (compiler.isEmpty() || compiler.startsWith("/")) {
      throw FarmException.invalidArgument("arbitrary toolchain: the compiler '%s' must be a path relative to the cwd, shipped as an input", compiler);
    }
    return Toolchain.newBuilder().setName(req.getCommandSpec().getName()).setPath(compiler.contains("/") ? compiler : "./" + compiler).build();
  }

  /** Paths (relative to the exec root) of inputs the client marked executable in toolchain_specs. */
  private static java.util.Set<String> executables(ExecReq req, GomaLayout layout) {
    java.util.Set<String> out = new java.util.HashSet<>();
    java.nio.file.Path cwd = java.nio.file.Path.of(req.getCwd()).normalize();
    for (dev.kiln.proto.goma.ToolchainSpec t : req.getToolchainSpecsList()) {
      if (t.getIsExecutable()) {
        java.nio.file.Path p = cwd.resolve(t.getPath()).normalize();
        if (p.startsWith(layout.root())) {
          out.add(layout.root().relativize(p).toString());
        }
      }
    }
    return out;
  }

  private static final java.util.regex.Pattern PATH_FLAG =
      java.util.regex.Pattern.compile("^(-I|-iquote|-isystem|-idirafter|-include|-imacros|-o|-MF|-MT|-MQ|--sysroot=)(/.*)$");

  /**
   * The exec root is mounted elsewhere on the worker, so an absolute path into it (an argument, or
   * the value of -I, -o, -MF, ...) is rewritten relative to the cwd. Paths outside it (the
   * toolchain's) are left alone.
   */
  static String relocate(String arg, java.nio.file.Path cwd, java.nio.file.Path root) {
    java.util.regex.Matcher m = PATH_FLAG.matcher(arg);
    String prefix = m.matches() ? m.group(1) : "";
    String path = m.matches() ? m.group(2) : arg;
    if (!path.startsWith("/")) {
      return arg;
    }
    java.nio.file.Path p = java.nio.file.Path.of(path).normalize();
    if (!p.startsWith(root)) {
      return arg;
    }
    String rel = cwd.relativize(p).toString();
    return prefix + (rel.isEmpty() ? "." : rel);
  }

  /** Embedded content must hash to its key; otherwise the request is refused before anything is stored. */
  private static void checkEmbeddedKeys(ExecReq req) {
    for (ExecReq.Input in : req.getInputList()) {
      if (in.hasContent()) {
        FileBlobs.checkWellFormed(in.getContent());
        if (!FileBlobs.hashKey(in.getContent()).equals(in.getHashKey())) {
          throw FarmException.invalidArgument("hash_key of input '%s' does not match its content", in.getFilename());
        }
      }
    }
  }

  /**
   * Each input's content digest (stored in the CAS), or why it is missing. An input sent by key
   * only whose content digest this node already knows is settled by one batched presence check in
   * the CAS instead of reading it from the file store and storing it again (a hash key names one
   * content forever, so the mapping never goes stale; presence is checked every time).
   */
  private CompletionStage<Resolved> resolveInputs(GomaLayout layout, boolean store) {
    Map<String, Digest> known = new TreeMap<>();
    for (Map.Entry<String, ExecReq.Input> e : layout.inputs().entrySet()) {
      Digest d = e.getValue().hasContent() ? null : keyDigests.get(e.getValue().getHashKey());
      if (d != null) {
        known.put(e.getKey(), d);
      }
    }
    CompletionStage<java.util.Set<Digest>> absent = known.isEmpty()
        ? CompletableFuture.completedFuture(java.util.Set.of()) : cas.findMissing(known.values());
    return absent.thenCompose(gone -> {
      Map<String, Digest> present = new TreeMap<>();
      known.forEach((name, d) -> {
        if (!gone.contains(d)) {
          present.put(name, d);
        }
      });
      return resolveFromFileStore(layout, store, present);
    });
  }

  /** Inputs not settled yet ({@code settled} holds the rest): from their content or the file store, into the CAS. */
  private CompletionStage<Resolved> resolveFromFileStore(GomaLayout layout, boolean store, Map<String, Digest> settled) {
    Map<String, Digest> digests = new TreeMap<>(settled);
    Map<String, String> missing = new TreeMap<>();
    List<CompletionStage<Void>> work = new ArrayList<>();
    for (Map.Entry<String, ExecReq.Input> e : layout.inputs().entrySet()) {
      if (settled.containsKey(e.getKey())) {
        continue;
      }
      ExecReq.Input in = e.getValue();
      CompletionStage<Optional<FileBlob>> blob = !in.hasContent() ? files.find(in.getHashKey())
          : store ? files.storeOne(in.getContent()).thenApply(k -> Optional.of(in.getContent()))
          : CompletableFuture.completedFuture(Optional.of(in.getContent()));
      CompletionStage<Optional<byte[]>> content = blob.thenCompose(this::bytesOf);
      work.add(content.handle((bytes, err) -> {
        synchronized (digests) {
          if (err != null || bytes.isEmpty()) {
            missing.put(in.getFilename(), err == null ? "not in the file store" : FarmException.from(err).getMessage());
          } else {
            Digest d = Digest.of(bytes.get());
            digests.put(e.getKey(), d);
            rememberDigest(in.getHashKey(), d);
          }
        }
        return bytes == null ? Optional.<byte[]>empty() : bytes;
      }).thenCompose(bytes -> bytes.isPresent() && store ? cas.put(Digest.of(bytes.get()), bytes.get()) : CompletableFuture.completedFuture(null)));
    }
    return Futures.all(work).thenApply(v -> new Resolved(digests, missing));
  }

  private void rememberDigest(String hashKey, Digest digest) {
    if (keyDigests.size() > MAX_KEY_DIGESTS) {
      keyDigests.clear(); // forgetting only costs a file-store read
    }
    keyDigests.put(hashKey, digest);
  }

  private CompletionStage<Optional<byte[]>> bytesOf(Optional<FileBlob> blob) {
    if (blob.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    FileBlob b = blob.get();
    if (b.getBlobType() == FileBlob.BlobType.FILE) {
      return CompletableFuture.completedFuture(Optional.of(b.getContent().toByteArray()));
    }
    if (b.getBlobType() == FileBlob.BlobType.FILE_REF) {
      // A reference to a stored FILE: follow it once (a reference to anything else is missing).
      return files.find(b.getHashKey(0)).thenCompose(target -> target.filter(t -> t.getBlobType() == FileBlob.BlobType.FILE).isPresent()
          ? bytesOf(target) : CompletableFuture.completedFuture(Optional.empty()));
    }
    if (b.getBlobType() != FileBlob.BlobType.FILE_META) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    List<CompletionStage<Optional<FileBlob>>> chunks = new ArrayList<>();
    b.getHashKeyList().forEach(k -> chunks.add(files.find(k)));
    return Futures.all(chunks).thenApply(all -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Optional<FileBlob> c : all) {
        if (c.isEmpty()) {
          return Optional.empty();
        }
        out.writeBytes(c.get().getContent().toByteArray());
      }
      return out.size() == b.getFileSize() ? Optional.of(out.toByteArray()) : Optional.<byte[]>empty();
    });
  }

  /** BAD_REQUEST with a command spec lacking binary_hash: the client reads "no such compiler here". */
  static ExecResp unknownCompiler(CommandSpec asked) {
    return ExecResp.newBuilder().setError(ExecResp.ExecError.BAD_REQUEST)
        .addErrorMessage("no worker carries compiler " + asked.getName() + " " + asked.getVersion() + " (" + asked.getTarget() + ")")
        .setResult(ExecResult.newBuilder().setExitStatus(-1).setCommandSpec(CommandSpec.newBuilder()
            .setName(asked.getName()).setVersion(asked.getVersion()).setTarget(asked.getTarget())))
        .build();
  }
}
