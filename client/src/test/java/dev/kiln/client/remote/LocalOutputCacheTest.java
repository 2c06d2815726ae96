package dev.kiln.client.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.RequesterInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalOutputCacheTest {
  @TempDir
  Path dir;

  /** The farm, faked: answers every request with an object named after its first argument, or exit 1 for "bad.c". */
  private static final class FakeFarm implements GomaExec {
    final List<ExecReq> seen = new ArrayList<>();

    @Override
    public ExecResp exec(ExecReq req, ExecReq normalized) {
      seen.add(req);
      boolean bad = req.getArgList().contains("bad.c");
      ExecResult.Builder r = ExecResult.newBuilder().setExitStatus(bad ? 1 : 0);
      if (!bad) {
        byte[] obj = ("object of " + req.getArg(0) + " " + req.getInputList()).getBytes();
        r.addOutput(ExecResult.Output.newBuilder().setFilename("a.o")
            .setBlob(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(obj.length).setContent(ByteString.copyFrom(obj))));
      }
      return ExecResp.newBuilder().setResult(r).setCacheHit(ExecResp.CacheSource.STORAGE_CACHE).build();
    }
  }

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static ExecReq req(String source, String hashKey, String requester) {
    return ExecReq.newBuilder().setCommandSpec(CommandSpec.newBuilder().setName("gcc").setVersion("12").setBinaryHash(ByteString.copyFromUtf8("abc")))
        .addArg("gcc").addArg("-c").addArg(source).setCwd("/src").addExpectedOutputFiles("a.o")
        .setRequesterInfo(RequesterInfo.newBuilder().setCompilerProxyId(requester))
        .addInput(ExecReq.Input.newBuilder().setFilename(source).setHashKey(hashKey)
            .setContent(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setContent(ByteString.copyFromUtf8("int x;"))))
        .build();
  }

  @Test
  void theSameRequestFromAnyoneIsAnsweredLocallyWithTheFarmsOutputs() throws Exception {
    FakeFarm farm = new FakeFarm();
    LocalOutputCache cache = new LocalOutputCache(farm, dir, 1 << 20, new TestClock());

    ExecResp first = exec(cache, req("a.c", "k1", "proxy-1"));
    ExecResp second = exec(cache, req("a.c", "k1", "proxy-2"));

    assertThat(farm.seen).hasSize(1);
    assertThat(first.getCacheHit()).isEqualTo(ExecResp.CacheSource.STORAGE_CACHE);
    assertThat(second.getCacheHit()).isEqualTo(ExecResp.CacheSource.LOCAL_OUTPUT_CACHE);
    assertThat(second.getResult()).isEqualTo(first.getResult());

    // Survives a restart of the proxy (it is on disk).
    ExecResp afterRestart = exec(new LocalOutputCache(farm, dir, 1 << 20, new TestClock()), req("a.c", "k1", "proxy-3"));
    assertThat(afterRestart.getCacheHit()).isEqualTo(ExecResp.CacheSource.LOCAL_OUTPUT_CACHE);
    assertThat(farm.seen).hasSize(1);
  }

  @Test
  void anyChangedInputOrArgumentGoesToTheFarm() throws Exception {
    FakeFarm farm = new FakeFarm();
    LocalOutputCache cache = new LocalOutputCache(farm, dir, 1 << 20, new TestClock());
    exec(cache, req("a.c", "k1", "p"));
    assertThat(exec(cache, req("a.c", "k2", "p")).getCacheHit()).isEqualTo(ExecResp.CacheSource.STORAGE_CACHE);
    assertThat(exec(cache, req("b.c", "k1", "p")).getCacheHit()).isEqualTo(ExecResp.CacheSource.STORAGE_CACHE);
    assertThat(exec(cache, req("a.c", "k1", "p").toBuilder().setCwd("/elsewhere").build()).getCacheHit())
        .isEqualTo(ExecResp.CacheSource.STORAGE_CACHE);
    assertThat(farm.seen).hasSize(4);
  }

  @Test
  void failuresAreNotKept() throws Exception {
    FakeFarm farm = new FakeFarm();
    LocalOutputCache cache = new LocalOutputCache(farm, dir, 1 << 20, new TestClock());
    exec(cache, req("bad.c", "k1", "p"));
    exec(cache, req("bad.c", "k1", "p"));
    assertThat(farm.seen).hasSize(2);
    assertThat(entries()).isEmpty();
  }

  @Test
  void aDamagedEntryIsAMissAndIsReplaced() throws Exception {
    FakeFarm farm = new FakeFarm();
    LocalOutputCache cache = new LocalOutputCache(farm, dir, 1 << 20, new TestClock());
    exec(cache, req("a.c", "k1", "p"));
    Files.write(entries().get(0), new byte[] {(byte) 0xff, 0x01, 0x02});
    assertThat(exec(cache, req("a.c", "k1", "p")).getCacheHit()).isEqualTo(ExecResp.CacheSource.STORAGE_CACHE);
    assertThat(exec(cache, req("a.c", "k1", "p")).getCacheHit()).isEqualTo(ExecResp.CacheSource.LOCAL_OUTPUT_CACHE);
    assertThat(farm.seen).hasSize(2);
  }

  @Test
  void leastRecentlyUsedEntriesGoWhenTheBoundIsPassed() throws Exception {
    FakeFarm farm = new FakeFarm();
    TestClock clock = new TestClock();
    long entrySize;
    {
      LocalOutputCache probe = new LocalOutputCache(farm, dir.resolve("probe"), 1 << 20, clock);
      exec(probe, req("x0.c", "k", "p"));
      entrySize = Files.size(Files.list(dir.resolve("probe")).findFirst().orElseThrow());
    }
    LocalOutputCache cache = new LocalOutputCache(farm, dir.resolve("c"), entrySize * 5, clock);
    for (int i = 0; i < 5; i++) {
      clock.now = clock.now.plus(Duration.ofMinutes(1));
      exec(cache, req("x" + i + ".c", "k", "p"));
    }
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    exec(cache, req("x0.c", "k", "p")); // x0 is now the most recently used; x1 the least
    farm.seen.clear();
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    exec(cache, req("x5.c", "k", "p")); // passes the bound: down to 80%, oldest first

    assertThat(exec(cache, req("x0.c", "k", "p")).getCacheHit()).isEqualTo(ExecResp.CacheSource.LOCAL_OUTPUT_CACHE);
    assertThat(exec(cache, req("x5.c", "k", "p")).getCacheHit()).isEqualTo(ExecResp.CacheSource.LOCAL_OUTPUT_CACHE);
    assertThat(exec(cache, req("x1.c", "k", "p")).getCacheHit()).isEqualTo(ExecResp.CacheSource.STORAGE_CACHE);
    try (Stream<Path> s = Files.list(dir.resolve("c"))) {
      assertThat(s.mapToLong(p -> p.toFile().length()).sum()).isLessThanOrEqualTo(entrySize * 5);
    }
  }

  private List<Path> entries() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** The request as sent; normalization is the compiler type's business (tested with the types). */
  private static ExecResp exec(GomaExec cache, ExecReq req) throws Exception {
    return cache.exec(req, req);
  }

  @Test
  void anAnswerWithOutputsOtherThanTheExpectedOnesIsNotKept() throws Exception {
    List<ExecReq> seen = new ArrayList<>();
    GomaExec hostile = (req, normalized) -> {
      seen.add(req);
      return ExecResp.newBuilder().setResult(ExecResult.newBuilder().setExitStatus(0).addOutput(ExecResult.Output.newBuilder()
          .setFilename("/home/u/.bashrc").setBlob(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setContent(ByteString.copyFromUtf8("x"))))).build();
    };
    LocalOutputCache cache = new LocalOutputCache(hostile, dir, 1 << 20, new TestClock());
    ExecReq r = req("a.c", "k1", "one");
    cache.exec(r, r);
    ExecResp again = cache.exec(r, r);
    assertThat(seen).as("asked the farm again: nothing was cached").hasSize(2);
    assertThat(again.getCacheHit()).isNotEqualTo(ExecResp.CacheSource.LOCAL_OUTPUT_CACHE);
  }
}
