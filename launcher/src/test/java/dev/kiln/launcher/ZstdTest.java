package dev.kiln.launcher;

import static dev.kiln.launcher.ReapiClient.digest;
import static dev.kiln.launcher.ReapiClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.BatchReadBlobsRequest;
import build.bazel.remote.execution.v2.BatchReadBlobsResponse;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.CacheCapabilities;
import build.bazel.remote.execution.v2.Compressor;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.GetCapabilitiesRequest;
import com.github.luben.zstd.Zstd;
import com.google.bytestream.ReadRequest;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * zstd compressed blobs end to end on a real embedded farm (Hazelcast CAS, a worker), through the
 * stock grpc-java client: an input uploaded compressed runs in an action, and its output is read
 * compressed; batches with ZSTD round-trip; blobs are stored uncompressed, so identity reads see them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ZstdTest {
  private static EmbeddedFarm farm;
  private static ReapiClient client;

  @BeforeAll
  static void start() {
    farm = FarmFixture.start(1, 1, Duration.ofSeconds(1));
    client = new ReapiClient(farm.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    farm.close();
  }

  private static byte[] text(int size) {
    StringBuilder sb = new StringBuilder(UUID.randomUUID().toString()).append('\n');
    for (int i = 0; sb.length() < size; i++) {
      sb.append("int symbol_").append(i % 977).append(" = ").append(i).append(";\n");
    }
    return utf8(sb.substring(0, size));
  }

  private static byte[] readIdentity(Digest d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client.byteStream.read(ReadRequest.newBuilder().setResourceName("main/blobs/" + d.getHash() + "/" + d.getSizeBytes()).build())
        .forEachRemaining(r -> out.writeBytes(r.getData().toByteArray()));
    return out.toByteArray();
  }

  @Test
  void capabilitiesAdvertiseZstd() {
    CacheCapabilities caps = client.capabilities.getCapabilities(GetCapabilitiesRequest.newBuilder().setInstanceName("main").build())
        .getCacheCapabilities();
    assertThat(caps.getSupportedCompressorsList()).containsExactly(Compressor.Value.ZSTD);
    assertThat(caps.getSupportedBatchUpdateCompressorsList()).containsExactly(Compressor.Value.ZSTD);
  }

  @Test
  void anInputUploadedCompressedRunsAndItsOutputIsReadCompressed() throws Exception {
    byte[] input = text(900_000);
    long committed = client.writeZstd("main", input, 16 << 10, 10_000);
    assertThat(committed).as("a finished compressed write answers the blob's size").isEqualTo(input.length);
    assertThat(readIdentity(digest(input))).isEqualTo(input);

    Directory root = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("in.txt").setDigest(digest(input))).build();
    Digest action = client.action(root, List.of("out.txt"), false, 0, "/bin/cp", "in.txt", "out.txt");
    ExecuteResponse r = client.execute(action, true);
    assertThat(r.getResult().getExitCode()).isZero();
    Digest out = r.getResult().getOutputFiles(0).getDigest();
    assertThat(out).isEqualTo(digest(input));

    byte[] z = client.readZstd("main", out, 0);
    assertThat(z.length).isLessThan(input.length);
    assertThat(Zstd.decompress(z, input.length)).isEqualTo(input);
    assertThat(Zstd.decompress(client.readZstd("main", out, 500_000), input.length))
        .isEqualTo(Arrays.copyOfRange(input, 500_000, input.length));
  }

  @Test
  void compressedBatchesRoundTrip() {
    byte[] a = text(30_000);
    var update = client.cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder().setInstanceName("main")
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(a)).setCompressor(Compressor.Value.ZSTD)
            .setData(ByteString.copyFrom(Zstd.compress(a)))).build());
    assertThat(update.getResponses(0).getStatus().getCode()).isZero();
    BatchReadBlobsResponse.Response z = client.cas.batchReadBlobs(BatchReadBlobsRequest.newBuilder().setInstanceName("main")
        .addDigests(digest(a)).addAcceptableCompressors(Compressor.Value.ZSTD).build()).getResponses(0);
    assertThat(z.getCompressor()).isEqualTo(Compressor.Value.ZSTD);
    assertThat(Zstd.decompress(z.getData().toByteArray(), a.length)).isEqualTo(a);
    BatchReadBlobsResponse.Response plain = client.cas.batchReadBlobs(BatchReadBlobsRequest.newBuilder().setInstanceName("main")
        .addDigests(digest(a)).build()).getResponses(0);
    assertThat(plain.getCompressor()).isEqualTo(Compressor.Value.IDENTITY);
    assertThat(plain.getData().toByteArray()).isEqualTo(a);
    assertThat(readIdentity(digest(a))).isEqualTo(a);
  }
}
