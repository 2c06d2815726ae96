package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kiln.common.Hashing;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.RequesterInfo;
import dev.kiln.proto.goma.ToolchainSpec;
import dev.kiln.scheduler.auth.Authenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GOMA_ARBITRARY_TOOLCHAIN_SUPPORT: the client ships its compiler; only with the operator's switch. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GomaArbitraryToolchainTest {
  private static final String FAKE_CC = """
      #!/bin/sh
      # a "compiler" the client ships: writes its source, upper-cased, to the -o output
      while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift ;; -c) ;; *) src=$1 ;; esac; shift; done
      tr a-z A-Z < "$src" > "$out"
      """;

  private static FileBlob file(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(b.length).setContent(ByteString.copyFrom(b)).build();
  }

  private static ExecReq.Input input(String name, FileBlob blob) {
    return ExecReq.Input.newBuilder().setFilename(name).setHashKey(Hashing.sha256Hex(blob.toByteArray())).setContent(blob).build();
  }

  static ExecReq request(String source, boolean withDimensions) {
    RequesterInfo.Builder info = RequesterInfo.newBuilder();
    if (withDimensions) {
      info.addDimensions("os:linux");
    }
    byte[] cc = FAKE_CC.getBytes(StandardCharsets.UTF_8);
    return ExecReq.newBuilder().setCommandSpec(CommandSpec.newBuilder().setName("fakecc").setLocalCompilerPath("../tools/fakecc"))
        .addArg("../tools/fakecc").addArg("-c").addArg("a.c").addArg("-o").addArg("a.o").setCwd("/home/x/proj/src")
        .addExpectedOutputFiles("a.o").setToolchainIncluded(true).setRequesterInfo(info)
        .addToolchainSpecs(ToolchainSpec.newBuilder().setPath("../tools/fakecc").setHash(Hashing.sha256Hex(cc)).setSize(cc.length).setIsExecutable(true))
        .addInput(input("a.c", file(source))).addInput(input("../tools/fakecc", file(FAKE_CC))).build();
  }

  static ExecResp exec(int port, ExecReq req) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cxx-compiler-service/e"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(req.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return ExecResp.parseFrom(r.body());
  }

  @Test
  void theClientsOwnCompilerRunsInTheSandboxWhenTheOperatorAllowsIt() throws Exception {
    try (EmbeddedFarm farm = EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, 1, 1, Files.createTempDirectory("kiln-arb"), false,
        "kiln-arb-" + UUID.randomUUID(), Duration.ofSeconds(30), false, Authenticator.open(), true))) {
      String source = "int lower_case_" + UUID.randomUUID().hashCode() + ";\n";
      ExecResp r = exec(farm.port(), request(source, true));
      assertThat(r.getErrorMessageList()).isEmpty();
      assertThat(r.getResult().getExitStatus()).as(r.getResult().getStderrBuffer().toStringUtf8()).isZero();
      assertThat(r.getResult().getOutput(0).getBlob().getContent().toStringUtf8()).isEqualTo(source.toUpperCase());
      assertThat(r.getResult().hasCommandSpec()).isFalse();
      assertThat(exec(farm.port(), request(source, false)).getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
    }
  }

  @Test
  void withoutTheSwitchArbitraryToolchainsAreRefused() throws Exception {
    try (EmbeddedFarm farm = FarmFixture.start(1, 1, Duration.ofSeconds(30))) {
      ExecResp r = exec(farm.port(), request("int x;\n", true));
      assertThat(r.getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
      assertThat(r.getErrorMessageList()).anyMatch(m -> m.contains("arbitrary toolchains are turned off"));
    }
  }
}
