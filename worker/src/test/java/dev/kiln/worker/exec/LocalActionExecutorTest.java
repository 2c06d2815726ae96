package dev.kiln.worker.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.OutputDirectory;
import build.bazel.remote.execution.v2.Tree;
import com.google.rpc.Code;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.testing.Blobs;
import dev.kiln.worker.WorkerConfig;
import dev.kiln.worker.sandbox.BubblewrapRunner;
import dev.kiln.worker.sandbox.SandboxProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker core over an in-memory CAS and the real sandbox. */
class LocalActionExecutorTest {
  @TempDir Path tmp;
  private final VerifyingBlobStore cas = new VerifyingBlobStore(new InMemoryBlobStore(), 1 << 24);

  private LocalActionExecutor executor() {
    WorkerConfig config = WorkerConfig.defaults("worker-t", 1, tmp).withMaxTimeout(Duration.ofMinutes(5));
    return new LocalActionExecutor(cas, new LocalBlobCache(tmp.resolve("cache"), cas), SandboxProbe.check(config.execDir(), config.limits()),
        config, Clock.systemUTC());
  }

  private QueuedAction queued(Directory root, Command command) {
    Blobs.put(cas, root);
    Digest cmd = Blobs.put(cas, command);
    Digest action = Blobs.put(cas, Action.newBuilder().setCommandDigest(cmd.toProto()).setInputRootDigest(Digest.of(root.toByteArray()).toProto()).build());
    return QueuedAction.newBuilder().setOperationName("operations/t").setActionDigest(action.toProto()).build();
  }

  private String blob(build.bazel.remote.execution.v2.Digest d) {
    return new String(Futures.await(cas.get(Digest.fromProto(d))).orElseThrow(), StandardCharsets.UTF_8);
  }

  @Test
  void inputsAreLaidOutAndOutputsFilesDirectoriesAndStreamsAreUploaded() throws Exception {
    Digest script = Blobs.put(cas, Blobs.utf8("#!/bin/sh\necho from-script\n"));
    Digest header = Blobs.put(cas, Blobs.utf8("#define X 1\n"));
    Directory inc = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("x.h").setDigest(header.toProto())).build();
    Blobs.put(cas, inc);
    Directory root = Directory.newBuilder()
        .addFiles(FileNode.newBuilder().setName("run.sh").setDigest(script.toProto()).setIsExecutable(true))
        .addDirectories(DirectoryNode.newBuilder().setName("inc").setDigest(Digest.of(inc.toByteArray()).toProto())).build();
    Command cmd = Command.newBuilder().addArguments("/bin/sh").addArguments("-c")
        .addArguments("./run.sh; cp inc/x.h out/copy.h; mkdir -p gen/sub && echo g > gen/sub/g.txt; echo oops >&2")
        .addOutputFiles("out/copy.h").addOutputDirectories("gen")
        .addEnvironmentVariables(Command.EnvironmentVariable.newBuilder().setName("PATH").setValue("/usr/bin:/bin")).build();
    ExecuteResponse r = executor().execute(queued(root, cmd));
    assertThat(r.getResult().getExitCode()).isZero();
    assertThat(blob(r.getResult().getStdoutDigest())).isEqualTo("from-script\n");
    assertThat(blob(r.getResult().getStderrDigest())).isEqualTo("oops\n");
    assertThat(r.getResult().getOutputFiles(0).getDigest()).isEqualTo(header.toProto());
    OutputDirectory gen = r.getResult().getOutputDirectories(0);
    Tree tree = Tree.parseFrom(Futures.await(cas.get(Digest.fromProto(gen.getTreeDigest()))).orElseThrow());
    assertThat(tree.getRoot().getDirectories(0).getName()).isEqualTo("sub");
    assertThat(tree.getChildren(0).getFiles(0).getName()).isEqualTo("g.txt");
    assertThat(r.getResult().getExecutionMetadata().getWorker()).isEqualTo("worker-t");
  }

  @Test
  void directoryOnlyFormatAlsoStoresTheRootDirectory() throws Exception {
    Command cmd = Command.newBuilder().addArguments("/bin/sh").addArguments("-c").addArguments("mkdir d && echo x > d/f")
        .addOutputPaths("d").setOutputDirectoryFormat(Command.OutputDirectoryFormat.DIRECTORY_ONLY).build();
    OutputDirectory d = executor().execute(queued(Directory.getDefaultInstance(), cmd)).getResult().getOutputDirectories(0);
    Directory root = Directory.parseFrom(Futures.await(cas.get(Digest.fromProto(d.getRootDirectoryDigest()))).orElseThrow());
    assertThat(root.getFiles(0).getName()).isEqualTo("f");
    assertThat(d.hasTreeDigest()).isTrue();
  }

  @Test
  void missingInputIsFailedPreconditionListingIt() throws Exception {
    Digest ghost = Digest.of(Blobs.utf8("never stored"));
    Directory root = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("a.c").setDigest(ghost.toProto())).build();
    ExecuteResponse r = executor().execute(queued(root, Command.newBuilder().addArguments("/bin/true").build()));
    assertThat(r.getStatus().getCode()).isEqualTo(Code.FAILED_PRECONDITION_VALUE);
    assertThat(r.getStatus().getDetails(0).unpack(com.google.rpc.PreconditionFailure.class).getViolations(0).getSubject())
        .isEqualTo("blobs/" + ghost.key());
  }

  @Test
  void aMissingActionBlobIsStillThrownForTheSlotToReport() {
    QueuedAction a = QueuedAction.newBuilder().setOperationName("operations/t").setActionDigest(Digest.of(Blobs.utf8("no action")).toProto()).build();
    assertThatThrownBy(() -> executor().execute(a))
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
  }

  @Test
  void workingDirectoryAndOutputsRelativeToIt() {
    Command cmd = Command.newBuilder().addArguments("/bin/sh").addArguments("-c").addArguments("pwd > o.txt")
        .setWorkingDirectory("sub/dir").addOutputPaths("o.txt").build();
    ExecuteResponse r = executor().execute(queued(Directory.getDefaultInstance(), cmd));
    assertThat(r.getResult().getOutputFiles(0).getPath()).isEqualTo("o.txt");
    assertThat(blob(r.getResult().getOutputFiles(0).getDigest())).isEqualTo(BubblewrapRunner.SANDBOX_EXEC_ROOT + "/sub/dir\n");
  }

  @Test
  void undeclaredOrMissingOutputsAreLeftOut() {
    Command cmd = Command.newBuilder().addArguments("/bin/sh").addArguments("-c").addArguments("exit 2")
        .addAllOutputFiles(List.of("never.o")).build();
    ExecuteResponse r = executor().execute(queued(Directory.getDefaultInstance(), cmd));
    assertThat(r.getResult().getExitCode()).isEqualTo(2);
    assertThat(r.getResult().getOutputFilesList()).isEmpty();
  }
}
