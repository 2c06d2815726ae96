package dev.kiln.client.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.client.remote.NotRemotable;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.RequesterInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every compiler type must do for the core, run against each implementation: a subclass
 * supplies the type, a compile command over a small tree it writes, and a command that is not a
 * remote compile.
 */
public abstract class CompilerTypeContract<C extends CompileCommand, I extends CompilerDetails> {
  @TempDir
  protected Path dir;

  protected abstract CompilerType<C, I> type();

  /** Writes a source with one included file into {@code dir}; returns a compile of it to out.o (or similar). */
  protected abstract List<String> compileOfASourceWithOneInclude() throws Exception;

  /** The file the source includes, which the inputs must list. */
  protected abstract Path theIncludedFile();

  protected abstract List<String> notARemoteCompile();

  @Test
  void handlesItsOwnCompilerAndNotAnUnrelatedProgram() throws Exception {
    assertThat(type().handles(Path.of(compileOfASourceWithOneInclude().get(0)).getFileName().toString())).isTrue();
    assertThat(type().handles("definitely-not-a-compiler")).isFalse();
  }

  @Test
  void aCompileNamesItsOutputsUnderTheCwdAndListsItsInputs() throws Exception {
    C command = type().parse(compileOfASourceWithOneInclude(), dir);
    assertThat(command.cwd()).isEqualTo(dir);
    assertThat(command.outputs()).isNotEmpty().allSatisfy(o -> assertThat(o.isAbsolute() && o.startsWith(dir)).as(o.toString()).isTrue());
    I info = type().info(command);
    assertThat(info.toolchain().getBinarySha256()).hasSize(64);
    assertThat(info.toolchain().getName()).isNotEmpty();
    assertThat(type().inputs(command, info)).contains(theIncludedFile()).allSatisfy(p -> assertThat(p).isAbsolute());
  }

  @Test
  void whatIsNotARemoteCompileIsRefusedWithoutCountingAsAFallback() {
    assertThatThrownBy(() -> type().parse(notARemoteCompile(), dir))
        .isInstanceOfSatisfying(NotRemotable.class, e -> assertThat(e.fallback()).isFalse());
  }

  @Test
  void aCompilerThatDoesNotExistIsNotRemotable() throws Exception {
    List<String> argv = new java.util.ArrayList<>(compileOfASourceWithOneInclude());
    argv.set(0, dir.resolve("missing").resolve(Path.of(argv.get(0)).getFileName()).toString());
    C command = type().parse(argv, dir);
    assertThatThrownBy(() -> type().info(command)).isInstanceOf(NotRemotable.class);
  }

  @Test
  void normalizationIsStableAndNeverKeepsWhoAsked() throws Exception {
    C command = type().parse(compileOfASourceWithOneInclude(), dir);
    ExecReq req = ExecReq.newBuilder().addAllArg(command.argv()).setCwd(dir.toString())
        .setRequesterInfo(RequesterInfo.newBuilder().setCompilerProxyId("someone")).buildPartial();
    ExecReq once = type().normalize(req, command);
    assertThat(type().normalize(req, command)).isEqualTo(once);
    assertThat(once.getArgList()).isEqualTo(command.argv());
  }
}
