package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.action.ActionInputs;
import dev.kiln.tree.InputTree;
import dev.kiln.tree.TreeFetcher;
import dev.kiln.worker.sandbox.RunRequest;
import dev.kiln.worker.sandbox.RunResult;
import dev.kiln.worker.sandbox.SandboxRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The worker's core: read the action, lay out its inputs, run it in the sandbox, upload outputs
 * and streams, and report every phase's timestamps in ExecutedActionMetadata.
 */
public final class LocalActionExecutor implements ActionExecutor {
  private final BlobStore cas;
  private final InputMaterializer materializer;
  private final OutputCollector outputs;
  private final SandboxRunner runner;
  private final Path workRoot;
  private final String workerId;
  private final Clock clock;
  private final Duration defaultTimeout;
  private final Duration maxTimeout;

  public LocalActionExecutor(BlobStore cas, LocalBlobCache cache, SandboxRunner runner, Path workRoot, String workerId,
      Clock clock, Duration defaultTimeout, Duration maxTimeout) {
    this.cas = cas;
    this.materializer = new InputMaterializer(cache);
    this.outputs = new OutputCollector(cas);
    this.runner = runner;
    this.workRoot = workRoot;
    this.workerId = workerId;
    this.clock = clock;
    this.defaultTimeout = defaultTimeout;
    this.maxTimeout = maxTimeout;
  }

  @Override
  public ExecuteResponse execute(QueuedAction queued) {
    ExecutedActionMetadata.Builder meta = ExecutedActionMetadata.newBuilder().setWorker(workerId)
        .setQueuedTimestamp(queued.getQueuedTime()).setWorkerStartTimestamp(now());
    ActionInputs inputs = ActionInputs.load(cas, Digest.fromProto(queued.getActionDigest()), defaultTimeout, maxTimeout);
    Path scratch = createScratch();
    try {
      Path execRoot = scratch.resolve("root");
      meta.setInputFetchStartTimestamp(now());
      InputTree tree = Futures.await(new TreeFetcher(cas).fetch(Digest.fromProto(inputs.action().getInputRootDigest())));
      materializer.materialize(tree, execRoot);
      Path workDir = execRoot.resolve(inputs.workingDirectory());
      createOutputParents(workDir, inputs);
      meta.setInputFetchCompletedTimestamp(now());

      RunRequest request = new RunRequest(execRoot, inputs.workingDirectory(), inputs.command().getArgumentsList(),
          environment(inputs.command()), inputs.timeout(), scratch.resolve("stdout"), scratch.resolve("stderr"), inputs.inputRootPath());
      RunResult run = runner.run(request);
      meta.setExecutionStartTimestamp(timestamp(run.started())).setExecutionCompletedTimestamp(timestamp(run.finished()));

      meta.setOutputUploadStartTimestamp(now());
      ActionResult.Builder result = ActionResult.newBuilder().setExitCode(run.timedOut() ? -1 : run.exitCode());
      if (!run.timedOut()) {
        outputs.collect(workDir, inputs.outputPaths(),
            inputs.command().getOutputDirectoryFormat() != Command.OutputDirectoryFormat.TREE_ONLY, result);
      }
      result.setStdoutDigest(outputs.uploadFile(request.stdout()).toProto());
      result.setStderrDigest(outputs.uploadFile(request.stderr()).toProto());
      meta.setOutputUploadCompletedTimestamp(now()).setWorkerCompletedTimestamp(now());
      result.setExecutionMetadata(meta);
      ExecuteResponse.Builder response = ExecuteResponse.newBuilder().setResult(result);
      if (run.timedOut()) {
        response.setStatus(Status.newBuilder().setCode(Code.DEADLINE_EXCEEDED_VALUE)
            .setMessage("action exceeded its timeout of " + inputs.timeout().toSeconds() + " s and was killed"));
      }
      return response.build();
    } finally {
      deleteRecursively(scratch);
    }
  }

  private static Map<String, String> environment(Command command) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Command.EnvironmentVariable v : command.getEnvironmentVariablesList()) {
      env.put(v.getName(), v.getValue());
    }
    return env;
  }

  private static void createOutputParents(Path workDir, ActionInputs inputs) {
    try {
      Files.createDirectories(workDir);
      for (String out : inputs.outputPaths()) {
        Path parent = workDir.resolve(out).getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      }
    } catch (IOException e) {
      throw FarmException.invalidArgument("Failed to create output directories: %s", e.getMessage());
    }
  }

  private Path createScratch() {
    try {
      Files.createDirectories(workRoot);
      return Files.createTempDirectory(workRoot, "action-");
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

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort; a leftover scratch dir is only disk space
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
