package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.LookupFileReq;
import dev.kiln.proto.goma.LookupFileResp;
import dev.kiln.proto.goma.RequesterInfo;
import dev.kiln.proto.goma.StoreFileReq;
import dev.kiln.proto.goma.StoreFileResp;
import dev.kiln.toolchain.CompilerProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Goma /e as compiler_proxy sends it, against a real farm whose workers run the real gcc: a compile
 * byte-identical to a local one, cache hits, the missing-input loop, a chunked input, compile
 * errors, unknown compilers, paths outside the exec root, bad hash keys, 200 concurrent requests.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GomaExecTest {
  private static EmbeddedFarm farm;
  private static Toolchain gcc;
  private static Path proj;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    farm = FarmFixture.start(1, 2, Duration.ofSeconds(30));
    gcc = CompilerProbe.probe(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")).stream()
        .filter(t -> t.getName().equals("gcc")).findFirst().orElseThrow();
    proj = Files.createTempDirectory("kiln-goma-proj");
    Files.createDirectories(proj.resolve("src"));
    Files.createDirectories(proj.resolve("include"));
  }

  @AfterAll
  static void stop() {
    farm.close();
  }

  private static CommandSpec spec() {
    return CommandSpec.newBuilder().setName(gcc.getName()).setVersion(gcc.getVersion()).setTarget(gcc.getTarget())
        .setBinaryHash(ByteString.copyFromUtf8(gcc.getBinarySha256())).setLocalCompilerPath("/usr/bin/gcc").build();
  }

  private static FileBlob file(String content) {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    return FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(b.length).setContent(ByteString.copyFrom(b)).build();
  }

  private static String key(FileBlob b) {
    return Hashing.sha256Hex(b.toByteArray());
  }

  private static ExecReq.Input input(String name, FileBlob blob, boolean embed) {
    ExecReq.Input.Builder in = ExecReq.Input.newBuilder().setFilename(name).setHashKey(key(blob));
    return (embed ? in.setContent(blob) : in).build();
  }

  private static ExecReq.Builder compile(String source, String out, ExecReq.Input... inputs) {
    return ExecReq.newBuilder().setCommandSpec(spec()).addArg("gcc").addArg("-c").addArg(source).addArg("-I../include")
        .addArg("-o").addArg(out).setCwd(proj.resolve("src").toString()).addEnv("PWD=" + proj.resolve("src"))
        .addExpectedOutputFiles(out).addAllInput(List.of(inputs))
        .setRequesterInfo(RequesterInfo.newBuilder().setCompilerProxyId("test@host:8088/1/" + UUID.randomUUID()));
  }

  private static <T> T rpc(String rpc, com.google.protobuf.MessageLite req, com.google.protobuf.Parser<T> parser) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + "/cxx-compiler-service/" + rpc))
        .header("Content-Type", "binary/x-protocol-buffer").POST(HttpRequest.BodyPublishers.ofByteArray(req.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return parser.parseFrom(r.body());
  }

  private static ExecResp exec(ExecReq req) throws Exception {
    return rpc("e", req, ExecResp.parser());
  }

  private static byte[] localCompile(String source, String out) throws Exception {
    Process p = new ProcessBuilder("gcc", "-c", source, "-I../include", "-o", out).directory(proj.resolve("src").toFile())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(log).isZero();
    return Files.readAllBytes(proj.resolve("src").resolve(out));
  }

  @Test
  void compileIsByteIdenticalToALocalCompileAndHitsTheCacheOnRepeat() throws Exception {
    String tag = UUID.randomUUID().toString().replace("-", "");
    String header = "#define ANSWER 42\nint twice(int);\n";
    String source = "#include \"h.h\"\nint twice(int x) { return 2 * x; }\nint answer_" + tag + "(void) { return twice(ANSWER); }\n";
    Files.writeString(proj.resolve("include/h.h"), header);
    Files.writeString(proj.resolve("src/a.c"), source);
    ExecReq req = compile("a.c", "a.o", input("a.c", file(source), true), input("../include/h.h", file(header), true)).build();
    ExecResp first = exec(req);
    assertThat(first.getErrorMessageList()).isEmpty();
    assertThat(first.getResult().getExitStatus()).isZero();
    assertThat(first.getCacheHit()).isEqualTo(ExecResp.CacheSource.NO_CACHE);
    assertThat(first.getResult().getCommandSpec().getBinaryHash().toStringUtf8()).isEqualTo(gcc.getBinarySha256());
    assertThat(first.getResult().getOutput(0).getFilename()).isEqualTo("a.o");
    byte[] remote = first.getResult().getOutput(0).getBlob().getContent().toByteArray();
    assertThat(remote).isEqualTo(localCompile("a.c", "a.local.o"));

    ExecResp again = exec(req.toBuilder().setRequesterInfo(RequesterInfo.newBuilder().setCompilerProxyId("other@host/2/3")).build());
    assertThat(again.getCacheHit()).isEqualTo(ExecResp.CacheSource.MEM_CACHE);
    assertThat(again.getResult().getOutput(0).getBlob().getContent().toByteArray()).isEqualTo(remote);
  }

  @Test
  void missingInputsAreListedThenAcceptedWhenResent() throws Exception {
    String header = "#define ONLY_HERE_" + UUID.randomUUID().toString().replace("-", "") + " 1\n";
    String source = "#include \"m.h\"\nint m(void) { return 7; }\n";
    ExecReq hashOnly = compile("m.c", "m.o", input("m.c", file(source), true), input("../include/m.h", file(header), false)).build();
    ExecResp first = exec(hashOnly);
    assertThat(first.getMissingInputList()).containsExactly("../include/m.h");
    assertThat(first.getResult().hasExitStatus()).isTrue();
    ExecResp second = exec(compile("m.c", "m.o", input("m.c", file(source), true), input("../include/m.h", file(header), true)).build());
    assertThat(second.getMissingInputList()).isEmpty();
    assertThat(second.getResult().getExitStatus()).isZero();
  }

  @Test
  void anInputSentByKeyIsRestoredFromTheFileStoreWhenTheCasLostIt() throws Exception {
    String tag = UUID.randomUUID().toString().replace("-", "");
    String header = "#define KEYED_" + tag + " 1\n";
    FileBlob h = file(header);
    ExecResp first = exec(compile("k1.c", "k1.o", input("k1.c", file("#include \"k.h\"\nint k1;\n"), true),
        input("../include/k.h", h, true)).build());
    assertThat(first.getResult().getExitStatus()).isZero();

    // Known to the front node and in the CAS: settled by key alone.
    ExecResp second = exec(compile("k2.c", "k2.o", input("k2.c", file("#include \"k.h\"\nint k2;\n"), true),
        input("../include/k.h", h, false)).build());
    assertThat(second.getMissingInputList()).isEmpty();
    assertThat(second.getResult().getExitStatus()).isZero();

    // The CAS lost the header (eviction): the front node notices and stores it again from the file store.
    farm.hazelcast().getMap(dev.kiln.brokerconfig.HazelcastShape.CAS_MAP).remove(Hashing.sha256Hex(header.getBytes(StandardCharsets.UTF_8)));
    ExecResp third = exec(compile("k3.c", "k3.o", input("k3.c", file("#include \"k.h\"\nint k3;\n"), true),
        input("../include/k.h", h, false)).build());
    assertThat(third.getMissingInputList()).isEmpty();
    assertThat(third.getResult().getExitStatus()).as(third.getResult().getStderrBuffer().toStringUtf8()).isZero();
  }

  @Test
  void aFiveMegabyteInputTravelsInChunks() throws Exception {
    StringBuilder big = new StringBuilder("/* " + UUID.randomUUID() + " */\n");
    while (big.length() < (5 << 20) + 1000) {
      big.append("/* filler line that makes this header large enough to be chunked */\n");
    }
    big.append("#define BIG 1\n");
    byte[] bytes = big.toString().getBytes(StandardCharsets.UTF_8);
    List<FileBlob> chunks = new ArrayList<>();
    for (int off = 0; off < bytes.length; off += 2 << 20) {
      int len = Math.min(2 << 20, bytes.length - off);
      chunks.add(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_CHUNK).setOffset(off).setFileSize(len)
          .setContent(ByteString.copyFrom(bytes, off, len)).build());
    }
    StoreFileResp stored = rpc("s", StoreFileReq.newBuilder().addAllBlob(chunks).build(), StoreFileResp.parser());
    FileBlob meta = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(bytes.length).addAllHashKey(stored.getHashKeyList()).build();
    String source = "#include \"big.h\"\nint big(void) { return BIG; }\n";
    ExecResp r = exec(compile("big.c", "big.o", input("big.c", file(source), true), input("../include/big.h", meta, true)).build());
    assertThat(r.getMissingInputList()).isEmpty();
    assertThat(r.getResult().getExitStatus()).as(r.getResult().getStderrBuffer().toStringUtf8()).isZero();
  }

  @Test
  void anInputMayBeAFileRefToAStoredFile() throws Exception {
    String header = "#define REF_" + UUID.randomUUID().toString().replace("-", "") + " 5\n";
    FileBlob target = file(header);
    assertThat(rpc("s", StoreFileReq.newBuilder().addBlob(target).build(), StoreFileResp.parser()).getHashKey(0)).isEqualTo(key(target));
    FileBlob ref = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_REF).setFileSize(target.getFileSize()).addHashKey(key(target)).build();
    String source = "#include \"ref.h\"\nint r(void) { return 5; }\n";
    ExecResp r = exec(compile("r.c", "r.o", input("r.c", file(source), true), input("../include/ref.h", ref, true)).build());
    assertThat(r.getMissingInputList()).isEmpty();
    assertThat(r.getResult().getExitStatus()).isZero();
  }

  @Test
  void aCompileErrorReturnsItsExitStatusAndStderrAndIsNotCached() throws Exception {
    String source = "int broken( { return " + UUID.randomUUID().hashCode() + "; }\n";
    ExecReq req = compile("bad.c", "bad.o", input("bad.c", file(source), true)).build();
    ExecResp r = exec(req);
    assertThat(r.getError()).isEqualTo(ExecResp.ExecError.OK);
    assertThat(r.getResult().getExitStatus()).isNotZero();
    assertThat(r.getResult().getStderrBuffer().toStringUtf8()).contains("error");
    assertThat(exec(req).getCacheHit()).isEqualTo(ExecResp.CacheSource.NO_CACHE);
  }

  @Test
  void anUnknownCompilerIsBadRequestWithoutABinaryHash() throws Exception {
    ExecReq req = compile("a.c", "a.o", input("a.c", file("int x;\n"), true))
        .setCommandSpec(CommandSpec.newBuilder().setName("gcc").setVersion("3[gcc 3.0]").setTarget("x86_64-linux-gnu")
            .setBinaryHash(ByteString.copyFromUtf8("0".repeat(64)))).build();
    ExecResp r = exec(req);
    assertThat(r.getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
    assertThat(r.getResult().getCommandSpec().getName()).isEqualTo("gcc");
    assertThat(r.getResult().getCommandSpec().hasBinaryHash()).isFalse();
  }

  @Test
  void pathsOutsideTheExecRootAreRefusedAndSystemFilesAreNotShipped() throws Exception {
    ExecReq outside = compile("a.c", "a.o", input("a.c", file("int x;\n"), true), input("../include/h.h", file("int y;\n"), true))
        .setRequesterInfo(RequesterInfo.newBuilder().setExecRoot(proj.resolve("src").toString())).build();
    assertThat(exec(outside).getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
    ExecReq relativeCwd = compile("a.c", "a.o", input("a.c", file("int x;\n"), true)).setCwd("relative/dir").build();
    assertThat(exec(relativeCwd).getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
    ExecReq escapingOutput = compile("a.c", "../../../escape.o", input("a.c", file("int x;\n"), true))
        .setRequesterInfo(RequesterInfo.newBuilder().setExecRoot(proj.toString())).build();
    assertThat(exec(escapingOutput).getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
    ExecResp withSystemInput = exec(compile("s.c", "s.o", input("s.c", file("#include <stdio.h>\nint s;\n"), true),
        input("/usr/include/stdio.h", file("never shipped"), false)).build());
    assertThat(withSystemInput.getMissingInputList()).isEmpty();
    assertThat(withSystemInput.getResult().getExitStatus()).isZero();
  }

  @Test
  void contentWhoseHashKeyDoesNotMatchIsRefusedAndNotStored() throws Exception {
    FileBlob real = file("int z" + UUID.randomUUID().hashCode() + ";\n");
    String wrongKey = key(file("something else " + UUID.randomUUID()));
    ExecReq req = compile("z.c", "z.o", ExecReq.Input.newBuilder().setFilename("z.c").setHashKey(wrongKey).setContent(real).build()).build();
    assertThat(exec(req).getError()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
    LookupFileResp lookup = rpc("l", LookupFileReq.newBuilder().addHashKey(wrongKey).addHashKey(key(real)).build(), LookupFileResp.parser());
    assertThat(lookup.getBlobList()).allSatisfy(b -> assertThat(b.getBlobType()).isEqualTo(FileBlob.BlobType.FILE_UNSPECIFIED));
  }

  @Test
  void twoHundredConcurrentRequestsAllSucceed() throws Exception {
    String source = "int c" + UUID.randomUUID().toString().replace("-", "") + "(void) { return 1; }\n";
    byte[] body = compile("c.c", "c.o", input("c.c", file(source), true)).build().toByteArray();
    assertThat(exec(ExecReq.parseFrom(body)).getResult().getExitStatus()).isZero();
    List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + "/cxx-compiler-service/e"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (CompletableFuture<HttpResponse<byte[]>> f : all) {
      HttpResponse<byte[]> r = f.get(120, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      ExecResp resp = ExecResp.parseFrom(r.body());
      assertThat(resp.getResult().getExitStatus()).isZero();
      assertThat(resp.getCacheHit()).isEqualTo(ExecResp.CacheSource.MEM_CACHE);
    }
  }

  @Test
  void flagsThatWouldRunAnotherProgramAreRefusedAsBadRequestNamingThem() throws Exception {
    String source = "int w(void) { return 1; }\n";
    for (List<String> flags : List.of(List.of("-wrapper", "/bin/sh,-c,echo pwned >&2"), List.of("-B/tmp"), List.of("-fplugin=./p.so"),
        List.of("-Xclang", "-load", "-Xclang", "./p.so"), List.of("-specs=x.specs"), List.of("@args.rsp"))) {
      ExecReq.Builder req = compile("w.c", "w.o", input("w.c", file(source), true));
      req.addAllArg(flags);
      ExecResp r = exec(req.build());
      assertThat(r.getError()).as(flags.toString()).isEqualTo(ExecResp.ExecError.BAD_REQUEST);
      assertThat(String.join(" ", r.getErrorMessageList())).contains(flags.get(0).replaceFirst("=.*", "").replace("@args.rsp", "@"));
      assertThat(r.getResult().getStderrBuffer().toStringUtf8()).doesNotContain("pwned");
    }
  }
}

