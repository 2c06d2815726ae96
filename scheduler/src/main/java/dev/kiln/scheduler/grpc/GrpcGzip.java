package dev.kiln.scheduler.grpc;

import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Request messages sent with {@code grpc-encoding: gzip}, decompressed with a bound: the wire
 * limit alone lets a few KiB of gzip (a bomb) expand to gigabytes in memory.
 */
final class GrpcGzip {
  private GrpcGzip() {}

  /** {@code msg} uncompressed; RESOURCE_EXHAUSTED past {@code limit} bytes, INVALID_ARGUMENT if corrupt or unknown. */
  static GrpcMessage identity(GrpcMessage msg, long limit) {
    String enc = msg.encoding();
    if (enc == null || enc.equals("identity")) {
      return msg;
    }
    if (!enc.equals("gzip")) {
      throw FarmException.invalidArgument("grpc-encoding %s is not supported", enc);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(msg.payload().getBytes()))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        if ((long) out.size() + n > limit) {
          throw FarmException.of(Code.RESOURCE_EXHAUSTED, "gzip request message decompresses to over the server's limit of %d bytes", limit);
        }
        out.write(buf, 0, n);
      }
      return GrpcMessage.message("identity", msg.format(), Buffer.buffer(out.toByteArray()));
    } catch (IOException e) {
      throw FarmException.invalidArgument("gzip request message does not decompress: %s", e.getMessage());
    }
  }
}
