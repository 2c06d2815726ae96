package dev.kiln.scheduler.records;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.RequestMetadata;
import build.bazel.remote.execution.v2.ToolDetails;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.RequesterInfo;
import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import io.vertx.core.MultiMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestersTest {
  @TempDir
  Path dir;

  @Test
  void reapiNamesTheTokensUserAndTheBuildFromRequestMetadata() throws Exception {
    Authenticator auth = Authenticator.fromFile(Files.writeString(dir.resolve("tokens"), "s3cret alice\n"), Set.of(), Access.CACHE_ONLY);
    RequestMetadata meta = RequestMetadata.newBuilder().setToolInvocationId("inv-42").setActionMnemonic("CppCompile").setTargetId("//a:b")
        .setToolDetails(ToolDetails.newBuilder().setToolName("bazel").setToolVersion("7.4.0")).build();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer s3cret")
        .add(Requesters.METADATA_HEADER, Base64.getEncoder().withoutPadding().encodeToString(meta.toByteArray()));
    assertThat(new Requesters(auth).reapi(headers, null)).isEqualTo(new Requester("alice", "inv-42", "bazel 7.4.0", "CppCompile //a:b", "reapi"));
    MultiMap bad = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer wrong").add(Requesters.METADATA_HEADER, "%%%");
    assertThat(new Requesters(auth).reapi(bad, null)).isEqualTo(new Requester("", "", "", "", "reapi"));
  }

  @Test
  void gomaNamesTheClaimedUserWithoutAuthAndTheSourceFile() {
    ExecReq req = ExecReq.newBuilder().setRequesterInfo(RequesterInfo.newBuilder().setUsername("bob").setBuildId("chrome-7")
            .setCompilerProxyId("kiln-cc/1234"))
        .setCommandSpec(dev.kiln.proto.goma.CommandSpec.newBuilder().setName("gcc"))
        .addAllArg(List.of("gcc", "-o", "x.c", "-c", "src/main.cc", "-O2")).buildPartial();
    assertThat(new Requesters(Authenticator.open()).goma(req, null, "10.0.0.7"))
        .isEqualTo(new Requester("bob", "chrome-7", "kiln-cc", "gcc src/main.cc", "goma"));
    ExecReq anonymous = ExecReq.newBuilder().addAllArg(List.of("cc", "-c", "a.c")).buildPartial();
    assertThat(new Requesters(Authenticator.open()).goma(anonymous, null, "10.0.0.7").user()).isEqualTo("10.0.0.7");
  }

  @Test
  void clientTextIsKeptShort() {
    assertThat(new Requester("u".repeat(5000), "", "", "", "reapi").user()).hasSize(201);
  }
}
