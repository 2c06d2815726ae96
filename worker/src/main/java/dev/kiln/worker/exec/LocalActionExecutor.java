package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.kiln.action.ActionInputs;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.tree.InputTree;
import dev.kiln.tree.PathRules;
import dev.kiln.tree.TreeFetcher;
import dev.kiln.tree.TreeLimits;
import dev.kiln.worker.WorkerConfig;
import dev.kiln.worker.sandbox.RunRequest;
import dev.kiln.worker.sandbox.RunResult;
import dev.kiln.worker.sandbox.SandboxDirs;
import dev.kiln.worker.sandbox.SandboxRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The worker's core: read the action, lay out its inputs, run it in the sandbox, upload outputs
 * and streams, and report every phase's timestamps in ExecutedActionMetadata. The action's
 * timeout covers all of it. What the action itself got wrong or ran out of (time, memory,
 * processes, disk, output bytes, a hostile output) becomes the response's status; what the farm
 * got wrong (the CAS unreachable) is thrown, so the slot can hand the action to another worker.
 */
public final class LocalActionExecutor implements ActionExecutor {
  /** What a shell reports for a child killed by SIGXFSZ (signal 25), the mark of RLIMIT_FSIZE. */
  private static final int EXIT_SIGXFSZ = 128 + 25;
  private static final Duration UNBOUNDED = Duration.ofDays(3650);
  private static final Set<Code> ACTION_FAULTS = Set.of(Code.DEADLINE_EXCEEDED, Code.RESOURCE_EXHAUSTED, Code.INVALID_ARGUMENT,
      Code.FAILED_PRECONDITION);

  private final BlobStore cas;
  private final InputMaterializer materializer;
  private final SandboxRunner runner;
  private final WorkerConfig config;
  private final Path workRoot;
  private final Clock clock;

  public LocalActionExecutor(BlobStore cas, LocalBlobCache cache, SandboxRunner runner, WorkerConfig config, Clock clock) {
    this.cas = cas;
    this.materializer = new InputMaterializer(cache);
    this.runner = runner;
    this.config = config;
    this.workRoot = runner.scratchDir(config.execDir());
    this.clock = clock;
  }

  @Override
  public ExecuteResponse execute(QueuedAction queued) {
    ExecutedActionMetadata.Builder meta = ExecutedActionMetadata.newBuilder().setWorker(config.workerId())
        .setQueuedTimestamp(queued.getQueuedTime()).setWorkerStartTimestamp(now());
    // The front node refused timeouts over its maximum; this worker's own maximum caps the rest.
    ActionInputs inputs = ActionInputs.load(cas, Digest.fromProto(queued.getActionDigest()), config.defaultTimeout(), UNBOUNDED);
    Duration timeout = inputs.timeout().compareTo(config.maxTimeout()) > 0 ? config.maxTimeout() : inputs.timeout();
    Deadline deadline = new Deadline(timeout);
    Path scratch = createScratch();
    try {
      return run(inputs, timeout, deadline, scratch, meta);
    } catch (FarmException e) {
      if (!ACTION_FAULTS.contains(e.code())) {
        throw e;
      }
      return ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(-1).setExecutionMetadata(meta))
          .setStatus(e.toStatus()).setMessage(e.getMessage()).build();
    } finally {
      SandboxDirs.remove(scratch);
    }
  }

  private ExecuteResponse run(ActionInputs inputs, Duration timeout, Deadline deadline, Path scratch, ExecutedActionMetadata.Builder meta) {
    Path execRoot = scratch.resolve("root");
    meta.setInputFetchStartTimestamp(now());
    TreeLimits treeLimits = new TreeLimits(config.limits().maxInputEntries(), TreeLimits.DEFAULT.maxDepth(),
        config.limits().maxExecRootBytes());
    InputTree tree = Futures.await(new TreeFetcher(cas, treeLimits).fetch(Digest.fromProto(inputs.action().getInputRootDigest())));
    deadline.check("fetching the input tree");
    materializer.materialize(tree, execRoot, deadline);
    SafePaths.createDirectories(execRoot, inputs.workingDirectory(), "working directory");
    for (String out : inputs.outputPaths()) {
      String fromRoot = PathRules.checkRelativePath(inputs.workingDirectory().isEmpty() ? out : inputs.workingDirectory() + "/" + out,
          "output path", false);
      int slash = fromRoot.lastIndexOf('/');
      SafePaths.createDirectories(execRoot, slash < 0 ? "" : fromRoot.substring(0, slash), "output path");
    }
    meta.setInputFetchCompletedTimestamp(now());
    deadline.check("laying out inputs");

    RunRequest request = new RunRequest(execRoot, inputs.workingDirectory(), inputs.command().getArgumentsList(),
        environment(inputs.command()), deadline.remaining(), scratch.resolve("stdout"), scratch.resolve("stderr"), inputs.inputRootPath());
    RunResult run = runner.run(request);
    meta.setExecutionStartTimestamp(timestamp(run.started())).setExecutionCompletedTimestamp(timestamp(run.finished()));

    meta.setOutputUploadStartTimestamp(now());
    OutputCollector outputs = new OutputCollector(cas, config.limits().maxOutputBytes(), config.maxBlobBytes(), deadline);
    ActionResult.Builder result = ActionResult.newBuilder().setExitCode(run.timedOut() || run.limitHit().isPresent() ? -1 : run.exitCode());
    ExecuteResponse.Builder response = ExecuteResponse.newBuilder();
    if (run.timedOut()) {
      response.setStatus(status(Code.DEADLINE_EXCEEDED, "action exceeded its timeout of " + timeout.toSeconds() + " s and was killed"));
    } else if (run.limitHit().isPresent()) {
      response.setStatus(status(Code.RESOURCE_EXHAUSTED, "action exceeded " + run.limitHit().get() + " and was stopped"));
    } else {
      outputs.collect(execRoot, inputs.workingDirectory(), inputs.outputPaths(),
          inputs.command().getOutputDirectoryFormat() != Command.OutputDirectoryFormat.TREE_ONLY, result);
    }
    result.setStdoutDigest(outputs.stream(request.stdout(), "stdout").toProto());
    result.setStderrDigest(outputs.stream(request.stderr(), "stderr").toProto());
    outputs.awaitUploads();
    meta.setOutputUploadCompletedTimestamp(now()).setWorkerCompletedTimestamp(now());
    result.setExecutionMetadata(meta);
    if (response.hasStatus()) {
      response.setMessage(response.getStatus().getMessage());
    } else if (run.exitCode() == EXIT_SIGXFSZ) {
      response.setMessage("a process of the action was killed by SIGXFSZ: a file reached the action's file size limit of "
          + (config.limits().maxOutputBytes() >> 20) + " MiB");
    }
    return response.setResult(result).build();
  }

  private static Status status(Code code, String message) {
    return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
  }

  private static Map<String, String> environment(Command command) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Command.EnvironmentVariable v : command.getEnvironmentVariablesList()) {
      env.put(v.getName(), v.getValue());
    }
    return env;
  }

  private Path createScratch() {
    try {
      return SandboxDirs.newScratch(workRoot, "action-");
    } catch (IOException e) {
      throw FarmException.internal("Failed to create an exec root under %s: %s", workRoot, e);
    }
  }

  private Timestamp now() {
    return timestamp(clock.instant());
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
