package dev.kiln.scheduler.goma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.FarmException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GomaBodiesTest {
  private final byte[] payload = "a protobuf body ".repeat(100).getBytes(StandardCharsets.UTF_8);

  /** What the Goma client sends as "deflate": a zlib stream with its 2-byte header stripped. */
  static byte[] clientDeflate(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
      z.write(data);
    }
    byte[] zlib = out.toByteArray();
    return Arrays.copyOfRange(zlib, 2, zlib.length);
  }

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void decodesGzipClientDeflateAndIdentity() throws Exception {
    assertThat(GomaBodies.decode("gzip", gzip(payload), 1 << 20)).isEqualTo(payload);
    assertThat(GomaBodies.decode("deflate", clientDeflate(payload), 1 << 20)).isEqualTo(payload);
    assertThat(GomaBodies.decode(null, payload, 1 << 20)).isEqualTo(payload);
    assertThat(GomaBodies.decode("identity", payload, 1 << 20)).isEqualTo(payload);
  }

  @Test
  void refusesUnknownEncodingsCorruptStreamsAndBombs() throws Exception {
    assertThatThrownBy(() -> GomaBodies.decode("lzma2", payload, 1 << 20)).isInstanceOf(FarmException.class);
    assertThatThrownBy(() -> GomaBodies.decode("gzip", payload, 1 << 20)).isInstanceOf(FarmException.class);
    assertThatThrownBy(() -> GomaBodies.decode("gzip", gzip(new byte[5 << 20]), 1 << 20)).isInstanceOf(FarmException.class);
  }

  @Test
  void responsesFollowAcceptEncodingAndRoundTrip() throws Exception {
    assertThat(GomaBodies.responseEncoding("gzip")).isEqualTo("gzip");
    assertThat(GomaBodies.responseEncoding("deflate")).isEqualTo("deflate");
    assertThat(GomaBodies.responseEncoding(null)).isEqualTo("identity");
    assertThat(GomaBodies.decode("deflate", GomaBodies.encode("deflate", payload), 1 << 20)).isEqualTo(payload);
    assertThat(GomaBodies.decode("gzip", GomaBodies.encode("gzip", payload), 1 << 20)).isEqualTo(payload);
  }
}
