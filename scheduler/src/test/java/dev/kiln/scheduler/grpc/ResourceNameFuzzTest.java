package dev.kiln.scheduler.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import java.nio.charset.StandardCharsets;

/**
 * ByteStream resource names as a client sends them (Read and Write): each parses or fails with
 * INVALID_ARGUMENT, nothing else escapes, and a parsed name's parts are found in the name.
 * Seeds: src/test/resources/dev/kiln/scheduler/grpc/ResourceNameFuzzTestInputs/parse/.
 */
class ResourceNameFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void parse(byte[] data) {
    String name = new String(data, StandardCharsets.UTF_8);
    try {
      ResourceName r = ResourceName.parseRead(name);
      assertThat(name).contains((r.compressed() ? "compressed-blobs/zstd/" : "blobs/") + r.digest().hash() + "/");
      assertThat(r.instance()).doesNotStartWith("/");
      assertThat(r.uploadId()).isNull();
    } catch (FarmException e) {
      assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
    }
    try {
      ResourceName w = ResourceName.parseWrite(name);
      assertThat(name).contains("uploads/" + w.uploadId() + (w.compressed() ? "/compressed-blobs/zstd/" : "/blobs/") + w.digest().hash() + "/");
      assertThat(w.instance()).doesNotStartWith("/");
    } catch (FarmException e) {
      assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
    }
  }
}
