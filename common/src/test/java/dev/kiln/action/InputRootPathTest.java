package dev.kiln.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.Platform;
import dev.kiln.common.FarmException;
import com.google.rpc.Code;
import org.junit.jupiter.api.Test;

class InputRootPathTest {
  private static Platform platform(String value) {
    return Platform.newBuilder().addProperties(Platform.Property.newBuilder().setName(InputRootPath.PROPERTY).setValue(value)).build();
  }

  @Test
  void theActionsPlatformWinsOverTheCommandsAndAbsenceMeansTheFixedRoot() {
    Command cmd = Command.newBuilder().addArguments("cc").setPlatform(platform("/home/b")).build();
    assertThat(InputRootPath.of(Action.newBuilder().setPlatform(platform("/home/a")).build(), cmd)).contains("/home/a");
    assertThat(InputRootPath.of(Action.getDefaultInstance(), cmd)).contains("/home/b");
    assertThat(InputRootPath.of(Action.getDefaultInstance(), Command.getDefaultInstance())).isEmpty();
  }

  @Test
  void pathsTheSandboxCannotMountAreInvalidArguments() {
    for (String bad : new String[] {"relative/x", "/", "/home/../usr/x", "/home/./x", "/home//x", "/home/x/", "/usr", "/usr/src/x",
        "/etc/x", "/proc/1", "/dev/shm/x", "/lib64/x"}) {
      assertThatThrownBy(() -> InputRootPath.of(Action.newBuilder().setPlatform(platform(bad)).build(), Command.getDefaultInstance()))
          .as(bad).isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
      assertThat(InputRootPath.usable(bad)).as(bad).isFalse();
    }
    for (String good : new String[] {"/home/me/src", "/tmp/build/x", "/usrlocal/x", "/b"}) {
      assertThat(InputRootPath.usable(good)).as(good).isTrue();
    }
  }
}
