package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.RequesterInfo;
import dev.kiln.toolchain.CompilerProbe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Goma compile on a real embedded farm leaves action records: the first run executed by the
 * worker with its phases, the repeat a cache hit, both with the Goma client's user and build id
 * and the compiled source as label, listed by {@code /actions?build=}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GomaActionRecordsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aGomaCompileAndItsCacheHitAreRecordedWithTheRequestersBuild() throws Exception {
    Toolchain gcc = CompilerProbe.probe(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")).stream()
        .filter(t -> t.getName().equals("gcc")).findFirst().orElseThrow();
    String build = "chrome-" + UUID.randomUUID();
    byte[] source = ("int answer_" + UUID.randomUUID().toString().replace("-", "") + "(void) { return 42; }\n").getBytes(StandardCharsets.UTF_8);
    FileBlob blob = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(source.length).setContent(ByteString.copyFrom(source)).build();
    ExecReq req = ExecReq.newBuilder().setCommandSpec(CommandSpec.newBuilder().setName(gcc.getName()).setVersion(gcc.getVersion())
            .setTarget(gcc.getTarget()).setBinaryHash(ByteString.copyFromUtf8(gcc.getBinarySha256())).setLocalCompilerPath("/usr/bin/gcc"))
        .addArg("gcc").addArg("-c").addArg("answer.c").addArg("-o").addArg("answer.o").setCwd("/home/dana/src").addExpectedOutputFiles("answer.o")
        .addInput(ExecReq.Input.newBuilder().setFilename("answer.c").setHashKey(Hashing.sha256Hex(blob.toByteArray())).setContent(blob))
        .setRequesterInfo(RequesterInfo.newBuilder().setUsername("dana").setBuildId(build).setCompilerProxyId("kiln-cc/1")).build();
    try (EmbeddedFarm farm = FarmFixture.start(1, 1, Duration.ofSeconds(30))) {
      assertThat(exec(farm, req).getCacheHit()).isEqualTo(ExecResp.CacheSource.NO_CACHE);
      assertThat(exec(farm, req).getCacheHit()).isEqualTo(ExecResp.CacheSource.MEM_CACHE);
      JsonArray records = new JsonArray();
      while (records.size() < 2) { // the executed one is recorded when its completion event reaches the journal
        records = new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + "/actions?build=" + build)).build(),
            HttpResponse.BodyHandlers.ofString()).body()).getJsonArray("actions");
        Thread.sleep(100);
      }
      JsonObject hit = records.getJsonObject(0);
      JsonObject executed = records.getJsonObject(1);
      assertThat(hit.getString("cache")).isEqualTo("hit");
      assertThat(executed.getString("cache")).isEqualTo("miss");
      assertThat(executed.getString("worker")).isEqualTo("worker-0");
      assertThat(executed.getJsonObject("phasesMs").getLong("execution")).isNotNegative();
      for (JsonObject r : new JsonObject[] {hit, executed}) {
        assertThat(r.getString("user")).isEqualTo("dana");
        assertThat(r.getString("protocol")).isEqualTo("goma");
        assertThat(r.getString("label")).isEqualTo("gcc answer.c");
        assertThat(r.getString("tool")).isEqualTo("kiln-cc");
        assertThat(r.getString("status")).isEqualTo("ok");
      }
    }
  }

  private static ExecResp exec(EmbeddedFarm farm, ExecReq req) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + "/cxx-compiler-service/e"))
        .header("Content-Type", "binary/x-protocol-buffer").POST(HttpRequest.BodyPublishers.ofByteArray(req.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    ExecResp resp = ExecResp.parseFrom(r.body());
    assertThat(resp.getErrorMessageList()).isEmpty();
    assertThat(resp.getResult().getExitStatus()).isZero();
    return resp;
  }
}
