package dev.kiln.launcher;

import static dev.kiln.launcher.ReapiClient.digest;
import static dev.kiln.launcher.ReapiClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.GetCapabilitiesRequest;
import com.google.protobuf.ByteString;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.StoreFileReq;
import dev.kiln.proto.goma.StoreFileResp;
import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import dev.kiln.toolchain.CompilerProbe;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bearer tokens on all three protocols, with tokenless clients given cache-only access: they read
 * cached results and blobs, nothing they send is executed or stored.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AuthTest {
  private static final String TOKEN = "kiln-test-token-" + UUID.randomUUID();
  private static EmbeddedFarm farm;
  private static ReapiClient grpc;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    Path tokens = Files.writeString(Files.createTempFile("kiln-tokens", ""), TOKEN + " alice\nbob-token bob\n");
    farm = EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, 1, 1, Files.createTempDirectory("kiln-auth"), false,
        "kiln-auth-" + UUID.randomUUID(), Duration.ofSeconds(30), false, Authenticator.fromFile(tokens, Set.of("alice"), Access.CACHE_ONLY), false));
    grpc = new ReapiClient(farm.port());
  }

  @AfterAll
  static void stop() {
    grpc.close();
    farm.close();
  }

  private static Metadata bearer(String token) {
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return m;
  }

  private static HttpResponse<byte[]> http(String method, String path, byte[] body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void grpcReadsAreOpenToTokenlessClientsButWritesNeedAToken() {
    assertThat(grpc.capabilities.getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).hasCacheCapabilities()).isTrue();
    byte[] blob = utf8("grpc auth " + UUID.randomUUID());
    BatchUpdateBlobsRequest upload = BatchUpdateBlobsRequest.newBuilder()
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(blob)).setData(ByteString.copyFrom(blob))).build();
    assertThatThrownBy(() -> grpc.cas.batchUpdateBlobs(upload))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThatThrownBy(() -> grpc.cas.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("bob-token"))).batchUpdateBlobs(upload))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThat(grpc.cas.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(TOKEN))).batchUpdateBlobs(upload)
        .getResponses(0).getStatus().getCode()).isZero();
  }

  @Test
  void httpCacheGetIsOpenPutNeedsAToken() throws Exception {
    byte[] blob = utf8("http auth " + UUID.randomUUID());
    String hash = Hashing.sha256Hex(blob);
    assertThat(http("PUT", "/cas/" + hash, blob, null).statusCode()).isEqualTo(403);
    assertThat(http("PUT", "/cas/" + hash, blob, "wrong").statusCode()).isEqualTo(401);
    assertThat(http("GET", "/cas/" + hash, null, null).statusCode()).isEqualTo(404);
    assertThat(http("PUT", "/cas/" + hash, blob, TOKEN).statusCode()).isEqualTo(200);
    assertThat(http("GET", "/cas/" + hash, null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void gomaClientsWithoutATokenGetCachedResultsAndCompileLocallyOnAMiss() throws Exception {
    Toolchain gcc = CompilerProbe.probe(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")).stream()
        .filter(t -> t.getName().equals("gcc")).findFirst().orElseThrow();
    String source = "int cached_" + UUID.randomUUID().toString().replace("-", "") + "(void) { return 3; }\n";
    byte[] b = source.getBytes(StandardCharsets.UTF_8);
    FileBlob blob = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(b.length).setContent(ByteString.copyFrom(b)).build();
    ExecReq req = ExecReq.newBuilder().setCommandSpec(CommandSpec.newBuilder().setName("gcc").setVersion(gcc.getVersion())
            .setTarget(gcc.getTarget()).setBinaryHash(ByteString.copyFromUtf8(gcc.getBinarySha256())))
        .addArg("gcc").addArg("-c").addArg("c.c").addArg("-o").addArg("c.o").setCwd("/home/u/p").addExpectedOutputFiles("c.o")
        .addInput(ExecReq.Input.newBuilder().setFilename("c.c").setHashKey(Hashing.sha256Hex(blob.toByteArray())).setContent(blob)).build();

    assertThat(http("POST", "/cxx-compiler-service/ping", new byte[0], null).statusCode()).isEqualTo(200);
    assertThat(http("POST", "/cxx-compiler-service/e", req.toByteArray(), "wrong").statusCode()).isEqualTo(401);
    ExecResp miss = ExecResp.parseFrom(http("POST", "/cxx-compiler-service/e", req.toByteArray(), null).body());
    assertThat(miss.getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
    assertThat(miss.getErrorMessageList()).anyMatch(m -> m.contains("compile locally"));

    ExecResp compiled = ExecResp.parseFrom(http("POST", "/cxx-compiler-service/e", req.toByteArray(), TOKEN).body());
    assertThat(compiled.getResult().getExitStatus()).isZero();
    ExecResp hit = ExecResp.parseFrom(http("POST", "/cxx-compiler-service/e", req.toByteArray(), null).body());
    assertThat(hit.getCacheHit()).isEqualTo(ExecResp.CacheSource.MEM_CACHE);
    assertThat(hit.getResult().getOutput(0).getBlob().getContent()).isEqualTo(compiled.getResult().getOutput(0).getBlob().getContent());

    StoreFileResp notStored = StoreFileResp.parseFrom(http("POST", "/cxx-compiler-service/s",
        StoreFileReq.newBuilder().addBlob(blob).build().toByteArray(), null).body());
    assertThat(notStored.getHashKeyList()).containsExactly("");
  }
}
