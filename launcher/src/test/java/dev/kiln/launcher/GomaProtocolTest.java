package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.kiln.common.Hashing;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.LookupFileReq;
import dev.kiln.proto.goma.LookupFileResp;
import dev.kiln.proto.goma.StoreFileReq;
import dev.kiln.proto.goma.StoreFileResp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Goma HTTP transport and file service, driven as compiler_proxy drives them (goma-protocol.md
 * §1-2), against a real embedded farm. Messages are built field by field from the reference tables.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GomaProtocolTest {
  private static EmbeddedFarm farm;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    farm = FarmFixture.start(1, 1, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    farm.close();
  }

  @AfterEach
  void serverKeepsServing() throws Exception {
    assertThat(send("POST", "/cxx-compiler-service/ping", new byte[0], null).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<byte[]> send(String method, String path, byte[] body, String encoding) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + path))
        .header("Content-Type", "binary/x-protocol-buffer").header("Accept-Encoding", "gzip")
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] body(HttpResponse<byte[]> r) throws Exception {
    if (r.headers().firstValue("content-encoding").orElse("").equals("gzip")) {
      return new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
    }
    return r.body();
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] clientDeflate(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
      z.write(data);
    }
    byte[] zlib = out.toByteArray();
    return Arrays.copyOfRange(zlib, 2, zlib.length);
  }

  private static <T> T rpc(String rpc, MessageLite req, com.google.protobuf.Parser<T> parser) throws Exception {
    HttpResponse<byte[]> r = send("POST", "/cxx-compiler-service/" + rpc + "?rbe", gzip(req.toByteArray()), "gzip");
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    assertThat(r.headers().firstValue("accept-encoding")).contains("gzip, deflate");
    assertThat(r.headers().firstValue("content-type")).contains("binary/x-protocol-buffer");
    return parser.parseFrom(body(r));
  }

  private static FileBlob file(byte[] content) {
    return FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(content.length).setContent(ByteString.copyFrom(content)).build();
  }

  private static String key(FileBlob b) {
    return Hashing.sha256Hex(b.toByteArray());
  }

  @Test
  void pingAnswersGetAndPostWithTheCompressionHandshake() throws Exception {
    for (String method : List.of("GET", "POST")) {
      HttpResponse<byte[]> r = send(method, "/cxx-compiler-service/ping?rbe", new byte[0], null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("accept-encoding")).contains("gzip, deflate");
    }
  }

  @Test
  void storeThenLookupAFileGzipAndDeflate() throws Exception {
    FileBlob blob = file("int answer = 42;\n".getBytes());
    StoreFileResp stored = rpc("s", StoreFileReq.newBuilder().addBlob(blob).build(), StoreFileResp.parser());
    assertThat(stored.getHashKeyList()).containsExactly(key(blob));
    HttpResponse<byte[]> viaDeflate = send("POST", "/cxx-compiler-service/l",
        clientDeflate(LookupFileReq.newBuilder().addHashKey(key(blob)).build().toByteArray()), "deflate");
    assertThat(viaDeflate.statusCode()).isEqualTo(200);
    assertThat(LookupFileResp.parseFrom(body(viaDeflate)).getBlob(0)).isEqualTo(blob);
  }

  @Test
  void emptyFilesKeepTheirContentField() throws Exception {
    FileBlob empty = file(new byte[0]);
    assertThat(empty.hasContent()).isTrue();
    rpc("s", StoreFileReq.newBuilder().addBlob(empty).build(), StoreFileResp.parser());
    FileBlob back = rpc("l", LookupFileReq.newBuilder().addHashKey(key(empty)).build(), LookupFileResp.parser()).getBlob(0);
    assertThat(back.hasContent()).isTrue();
    assertThat(key(back)).isEqualTo(key(empty));
  }

  @Test
  void aLargeFileTravelsAsTwoMegabyteChunksAndAMeta() throws Exception {
    byte[] data = new byte[(5 << 20) + 123];
    new Random(3).nextBytes(data);
    List<FileBlob> chunks = new ArrayList<>();
    for (int off = 0; off < data.length; off += 2 << 20) {
      int len = Math.min(2 << 20, data.length - off);
      chunks.add(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_CHUNK).setOffset(off).setFileSize(len)
          .setContent(ByteString.copyFrom(data, off, len)).build());
    }
    assertThat(chunks).hasSize(3);
    StoreFileResp stored = rpc("s", StoreFileReq.newBuilder().addAllBlob(chunks).build(), StoreFileResp.parser());
    assertThat(stored.getHashKeyList()).doesNotContain("");
    FileBlob meta = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(data.length).addAllHashKey(stored.getHashKeyList()).build();
    assertThat(rpc("s", StoreFileReq.newBuilder().addBlob(meta).build(), StoreFileResp.parser()).getHashKeyList()).containsExactly(key(meta));
    LookupFileResp back = rpc("l", LookupFileReq.newBuilder().addHashKey(key(meta)).addAllHashKey(stored.getHashKeyList()).build(), LookupFileResp.parser());
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    back.getBlobList().subList(1, 4).forEach(c -> whole.writeBytes(c.getContent().toByteArray()));
    assertThat(back.getBlob(0)).isEqualTo(meta);
    assertThat(whole.toByteArray()).isEqualTo(data);
  }

  @Test
  void aMetaWhoseChunksDoNotAddUpIsRefused() throws Exception {
    FileBlob c0 = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_CHUNK).setOffset(0).setFileSize(4).setContent(ByteString.copyFromUtf8("abcd")).build();
    FileBlob c1 = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_CHUNK).setOffset(4).setFileSize(2).setContent(ByteString.copyFromUtf8("ef")).build();
    StoreFileResp stored = rpc("s", StoreFileReq.newBuilder().addBlob(c0).addBlob(c1).build(), StoreFileResp.parser());
    FileBlob wrongSize = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(7).addAllHashKey(stored.getHashKeyList()).build();
    FileBlob unknownChunk = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(6)
        .addHashKey(stored.getHashKey(0)).addHashKey("0".repeat(64)).build();
    FileBlob good = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(6).addAllHashKey(stored.getHashKeyList()).build();
    StoreFileResp r = rpc("s", StoreFileReq.newBuilder().addBlob(wrongSize).addBlob(unknownChunk).addBlob(good).build(), StoreFileResp.parser());
    assertThat(r.getHashKeyList()).containsExactly("", "", key(good));
    FileBlob lookedUp = rpc("l", LookupFileReq.newBuilder().addHashKey(key(wrongSize)).build(), LookupFileResp.parser()).getBlob(0);
    assertThat(lookedUp.getBlobType()).isEqualTo(FileBlob.BlobType.FILE_UNSPECIFIED);
  }

  @Test
  void lookupOfAnUnknownKeyIsFileUnspecified() throws Exception {
    LookupFileResp r = rpc("l", LookupFileReq.newBuilder().addHashKey("f".repeat(64)).build(), LookupFileResp.parser());
    assertThat(r.getBlobCount()).isEqualTo(1);
    assertThat(r.getBlob(0).getBlobType()).isEqualTo(FileBlob.BlobType.FILE_UNSPECIFIED);
  }

  @Test
  void badBodiesAreBadRequestNeverAuthFailures() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    for (String rpc : List.of("e", "s", "l")) {
      assertThat(send("POST", "/cxx-compiler-service/" + rpc, garbage, null).statusCode()).isEqualTo(400);
    }
    byte[] truncated = Arrays.copyOf(StoreFileReq.newBuilder().addBlob(file(new byte[100])).build().toByteArray(), 20);
    assertThat(send("POST", "/cxx-compiler-service/s", truncated, null).statusCode()).isEqualTo(400);
    assertThat(send("POST", "/cxx-compiler-service/s", new byte[] {1, 2, 3}, "lzma2").statusCode()).isEqualTo(400);
    FileBlob sizeLie = file("abc".getBytes()).toBuilder().setFileSize(9).build();
    assertThat(send("POST", "/cxx-compiler-service/s", StoreFileReq.newBuilder().addBlob(sizeLie).build().toByteArray(), null).statusCode()).isEqualTo(400);
    assertThat(send("POST", "/cxx-compiler-service/s", new byte[(12 << 20) + 1], null).statusCode()).isEqualTo(413);
  }

  @Test
  void execWithoutARequiredFieldIsBadRequestNamingIt() throws Exception {
    ExecReq partial = ExecReq.newBuilder().addArg("gcc").buildPartial();
    ExecResp r = rpc("e", partial, ExecResp.parser());
    assertThat(r.getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
    assertThat(r.getErrorMessageList()).anyMatch(m -> m.contains("command_spec"));
    assertThat(r.getResult().hasExitStatus()).isTrue();
  }
}
