package dev.kiln.action;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.Platform;
import dev.kiln.proto.events.Toolchain;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformRequirementsTest {
  private static Platform.Property p(String name, String value) {
    return Platform.Property.newBuilder().setName(name).setValue(value).build();
  }

  private static Platform platform(Platform.Property... ps) {
    return Platform.newBuilder().addAllProperties(List.of(ps)).build();
  }

  private final List<Platform.Property> worker = List.of(p("OSFamily", "Linux"), p("ISA", "x86-64"), p("pool", "default"),
      p("kiln-toolchain", "aaa.111"), p("kiln-toolchain", "bbb.222"));

  @Test
  void everyRequiredPropertyMustBeOfferedWithItsValue() {
    assertThat(PlatformRequirements.satisfiedBy(Platform.getDefaultInstance(), worker)).isTrue();
    assertThat(PlatformRequirements.satisfiedBy(platform(p("pool", "default"), p("kiln-toolchain", "bbb.222")), worker)).isTrue();
    assertThat(PlatformRequirements.satisfiedBy(platform(p("kiln-toolchain", "aaa.111"), p("kiln-toolchain", "bbb.222")), worker)).isTrue();
    assertThat(PlatformRequirements.unmet(platform(p("pool", "nope"), p("OSFamily", "Linux")), worker)).containsExactly(p("pool", "nope"));
    assertThat(PlatformRequirements.unmet(platform(p("kiln-toolchain", "aaa.222")), worker)).hasSize(1);
    assertThat(PlatformRequirements.unmet(platform(p("container-image", "docker://x")), worker)).hasSize(1);
    assertThat(PlatformRequirements.satisfiedBy(platform(p("Pool", "default")), worker)).as("names are exact").isFalse();
    assertThat(PlatformRequirements.satisfiedBy(platform(p("pool", "Default")), worker)).as("pool values are exact").isFalse();
    assertThat(PlatformRequirements.satisfiedBy(platform(p("pool", "default")), List.of())).isFalse();
  }

  @Test
  void osFamilyAndIsaCompareWithoutCase() {
    assertThat(PlatformRequirements.satisfiedBy(platform(p("OSFamily", "linux"), p("ISA", "X86_64")), worker)).isTrue();
    assertThat(PlatformRequirements.satisfiedBy(platform(p("ISA", "amd64")), worker)).isTrue();
    assertThat(PlatformRequirements.satisfiedBy(platform(p("OSFamily", "windows")), worker)).isFalse();
    assertThat(PlatformRequirements.satisfiedBy(platform(p("ISA", "aarch64")), worker)).isFalse();
  }

  @Test
  void directivesAreNotRequirements() {
    assertThat(PlatformRequirements.satisfiedBy(platform(p("InputRootAbsolutePath", "/home/u/src"), p("cache-silo", "x")), worker)).isTrue();
    assertThat(PlatformRequirements.requirements(platform(p("InputRootAbsolutePath", "/x"), p("pool", "a")))).containsExactly(p("pool", "a"));
  }

  @Test
  void theActionsPlatformWinsOverTheCommands() {
    Platform a = platform(p("pool", "a"));
    Platform c = platform(p("pool", "c"));
    assertThat(PlatformRequirements.of(Action.newBuilder().setPlatform(a).build(), Command.newBuilder().setPlatform(c).build())).isEqualTo(a);
    assertThat(PlatformRequirements.of(Action.getDefaultInstance(), Command.newBuilder().setPlatform(c).build())).isEqualTo(c);
  }

  @Test
  void aWorkerOffersOsIsaPoolAndOneToolchainPerCompiler() {
    Toolchain gcc = Toolchain.newBuilder().setName("gcc").setBinarySha256("aaa").setSystemDigest("111").build();
    Toolchain cc = gcc.toBuilder().setName("cc").build();
    Toolchain gxx = Toolchain.newBuilder().setName("g++").setBinarySha256("bbb").setSystemDigest("222").build();
    assertThat(WorkerPlatform.offered("Linux", "amd64", "default", List.of(gcc, cc, gxx))).containsExactlyElementsOf(worker);
    assertThat(WorkerPlatform.isa("aarch64")).isEqualTo("aarch64");
    assertThat(WorkerPlatform.offered("default", List.of())).contains(p("pool", "default"), p("OSFamily", System.getProperty("os.name")));
  }
}
