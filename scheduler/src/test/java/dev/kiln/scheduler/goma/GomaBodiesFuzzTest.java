package dev.kiln.scheduler.goma;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Goma request bodies as they arrive: any Content-Encoding header and any bytes. Decoding returns
 * at most the limit or fails with FarmException (INVALID_ARGUMENT for an unknown encoding or a
 * corrupt stream, RESOURCE_EXHAUSTED past the limit); nothing else escapes, and a body Kiln
 * encoded itself decodes to what was encoded. Seeds: the first byte picks the header, the rest is
 * the body (src/test/resources/dev/kiln/scheduler/goma/GomaBodiesFuzzTestInputs/*).
 */
class GomaBodiesFuzzTest {
  private static final List<String> ENCODINGS = List.of("gzip", "deflate", "identity", "", "GZIP", "x-gzip, deflate", "br", "deflate;q=1");
  private static final long LIMIT = 1 << 20;

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    if (data.length == 0) {
      return;
    }
    String encoding = (data[0] & 0x80) != 0 ? new String(data, 1, Math.min(data.length - 1, data[0] & 0x0f), StandardCharsets.ISO_8859_1)
        : ENCODINGS.get((data[0] & 0x7f) % ENCODINGS.size());
    byte[] body = Arrays.copyOfRange(data, 1, data.length);
    try {
      byte[] out = GomaBodies.decode(encoding, body, LIMIT);
      assertThat((long) out.length).isLessThanOrEqualTo(Math.max(LIMIT, body.length));
    } catch (FarmException e) {
      assertThat(e.code()).isIn(Code.INVALID_ARGUMENT, Code.RESOURCE_EXHAUSTED);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void encodeThenDecode(byte[] data) {
    for (String encoding : List.of("gzip", "deflate", "identity")) {
      assertThat(GomaBodies.decode(encoding, GomaBodies.encode(encoding, data), LIMIT)).as(encoding).isEqualTo(data);
    }
  }
}
