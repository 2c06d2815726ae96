package dev.kiln.client.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.LookupFileReq;
import dev.kiln.proto.goma.LookupFileResp;
import dev.kiln.proto.goma.StoreFileReq;
import dev.kiln.proto.goma.StoreFileResp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link GomaExec} over HTTP to a front node: POST /e, and /l for outputs sent as FILE_META, each
 * with the {@link FarmCredentials}' Authorization header. A farm that does not answer within the
 * timeout is an IOException, which the proxy turns into a counted local fallback; one that refuses
 * the credentials is a {@link FarmAuthException}, counted and shown apart.
 */
public final class HttpGomaExec implements GomaExec {
  private final URI farm;
  private final HttpClient http;
  private final Duration timeout;
  private final FarmCredentials credentials;

  public HttpGomaExec(URI farm, HttpClient http, Duration timeout, FarmCredentials credentials) {
    this.farm = farm;
    this.http = http;
    this.timeout = timeout;
    this.credentials = credentials;
  }

  public HttpGomaExec(URI farm, HttpClient http, Duration timeout) {
    this(farm, http, timeout, FarmCredentials.none());
  }

  public HttpGomaExec(URI farm, HttpClient http) {
    this(farm, http, Duration.ofMinutes(10));
  }

  @Override
  public ExecResp exec(ExecReq req, ExecReq normalized) throws IOException, InterruptedException {
    ExecResp resp = parse(post("/cxx-compiler-service/e", req.toByteArray()), ExecResp.parser());
    if (resp.getErrorMessageList().stream().anyMatch(m -> m.startsWith("cache-only access"))) {
      throw new FarmAuthException("farm refused the credentials (cache-only access, no cached result)", credentials);
    }
    if (!resp.hasResult()) {
      return resp;
    }
    ExecResp.Builder b = resp.toBuilder();
    for (ExecResult.Output.Builder out : b.getResultBuilder().getOutputBuilderList()) {
      if (out.getBlob().getBlobType() != FileBlob.BlobType.FILE) {
        out.setBlob(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(out.getBlob().getFileSize())
            .setContent(ByteString.copyFrom(chunks(out.getBlob()))));
      }
    }
    return b.build();
  }

  /** POST /s in batches of five blobs, as Goma's client streams chunks; every blob must be accepted. */
  @Override
  public void store(java.util.List<FileBlob> blobs) throws IOException, InterruptedException {
    for (int i = 0; i < blobs.size(); i += 5) {
      java.util.List<FileBlob> batch = blobs.subList(i, Math.min(blobs.size(), i + 5));
      StoreFileResp resp = parse(post("/cxx-compiler-service/s", StoreFileReq.newBuilder().addAllBlob(batch).build().toByteArray()),
          StoreFileResp.parser());
      if (resp.getHashKeyCount() != batch.size() || resp.getHashKeyList().contains("")) {
        throw new IOException("the farm refused a file chunk");
      }
    }
  }

  private byte[] chunks(FileBlob meta) throws IOException, InterruptedException {
    LookupFileResp found = parse(post("/cxx-compiler-service/l",
        LookupFileReq.newBuilder().addAllHashKey(meta.getHashKeyList()).build().toByteArray()), LookupFileResp.parser());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (FileBlob c : found.getBlobList()) {
      if (c.getBlobType() != FileBlob.BlobType.FILE_CHUNK || c.getOffset() != out.size()) {
        throw new IOException("output chunk missing or out of order");
      }
      out.writeBytes(c.getContent().toByteArray());
    }
    if (out.size() != meta.getFileSize()) {
      throw new IOException("output is " + out.size() + " bytes, expected " + meta.getFileSize());
    }
    return out.toByteArray();
  }

  private byte[] post(String path, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(farm.resolve(path)).timeout(timeout).header("Content-Type", "binary/x-protocol-buffer")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    String authorization = credentials.authorization();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new FarmAuthException("farm refused the credentials (" + r.statusCode() + ")", credentials);
    }
    if (r.statusCode() != 200) {
      throw new IOException("farm answered HTTP " + r.statusCode() + " to " + path);
    }
    return r.body();
  }

  private static <T> T parse(byte[] body, com.google.protobuf.Parser<T> parser) throws IOException {
    try {
      return parser.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("unparseable answer from the farm", e);
    }
  }
}
