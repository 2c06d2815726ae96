package dev.kiln.bench;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.cas.BlobStore;
import dev.kiln.cas.HazelcastBlobStore;
import dev.kiln.cas.disk.DiskTiers;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.state.KilnHazelcast;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The cache's disk tier (ADR 0011): CAS write and read throughput through a Hazelcast client to a
 * member with the disk tier, against the same member without it and against the disk's own
 * sequential write (page cache, and fsynced: the device) and read in the same run; then hit latency
 * from memory vs from disk (a memory miss that loads from disk and promotes); then the cost of a
 * FindMissingBlobs of blobs nobody holds on two members (each miss asks the other member's disk). Usage: {@code bench/run-java.sh DiskTierBench [DIR] [MIB] [RUNS]}
 * (DIR on the disk to measure, default bench/target/disk-tier; MIB written per run, default 256).
 */
public final class DiskTierBench {
  private static final int BLOB = 1 << 20;
  private static final int IN_FLIGHT = 8;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "bench/target/disk-tier").toAbsolutePath();
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<Double> seqW = new ArrayList<>(), seqR = new ArrayList<>(), diskW = new ArrayList<>(), diskR = new ArrayList<>();
    List<Double> memW = new ArrayList<>(), memR = new ArrayList<>(), seqSync = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      delete(dir);
      double[] seq = sequential(dir.resolve("seq.bin"), mib);
      double[] disk = throughput(dir.resolve("tier"), mib, true);
      double[] mem = throughput(null, mib, false);
      seqW.add(seq[0]);
      seqSync.add(seq[2]);
      seqR.add(seq[1]);
      diskW.add(disk[0]);
      diskR.add(disk[1]);
      memW.add(mem[0]);
      memR.add(mem[1]);
      System.out.printf("run %d: MiB/s write: sequential file %.0f (with fsync %.0f), disk tier %.0f, memory only %.0f | read: sequential file %.0f, disk tier (memory evicted) %.0f, memory %.0f%n",
          run, seq[0], seq[2], disk[0], mem[0], seq[1], disk[1], mem[1]);
    }
    System.out.printf("median of %d runs, %d MiB of 1 MiB blobs, %d in flight, MiB/s:%n", runs, mib, IN_FLIGHT);
    System.out.printf("  write: sequential file %.0f (fsynced: %.0f) | disk tier %.0f | memory only %.0f%n", Stats.median(seqW), Stats.median(seqSync),
        Stats.median(diskW), Stats.median(memW));
    System.out.printf("  read:  sequential file %.0f | disk tier %.0f | memory %.0f%n", Stats.median(seqR), Stats.median(diskR), Stats.median(memR));
    delete(dir);
    latency(dir.resolve("latency"));
    delete(dir);
    for (int run = 1; run <= runs; run++) {
      double withDisk = findMissingMs(dir, true);
      double without = findMissingMs(dir, false);
      System.out.printf("FindMissingBlobs of 1000 absent blobs, 2 members: with disk tier %.0f ms, memory only %.0f ms%n", withDisk, without);
      delete(dir);
    }
  }

  /** One findMissing of 1000 digests nobody holds, through a client of two members: each miss asks the other member's disk. */
  private static double findMissingMs(Path dir, boolean disk) {
    String cluster = "kiln-bench-" + UUID.randomUUID();
    List<HazelcastInstance> members = new ArrayList<>();
    for (String name : List.of("m1", "m2")) {
      List<String> join = members.isEmpty() ? List.of() : List.of(address(members.get(0)));
      members.add(disk ? KilnHazelcast.member(cluster, "127.0.0.1", 0, join, new DiskTiers.Settings(dir.resolve(name), 1L << 30))
          : KilnHazelcast.member(cluster, "127.0.0.1", 0, join));
    }
    HazelcastInstance client = KilnHazelcast.client(cluster, List.of(address(members.get(0))));
    try {
      BlobStore cas = new HazelcastBlobStore(client);
      List<Digest> absent = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        absent.add(Digest.of(randomBytes(64, 1_000_000L + i)));
      }
      Futures.await(cas.findMissing(absent.subList(0, 10)));
      long t0 = System.nanoTime();
      Futures.await(cas.findMissing(absent));
      return (System.nanoTime() - t0) / 1e6;
    } finally {
      client.shutdown();
      members.forEach(HazelcastInstance::shutdown);
    }
  }

  private static String address(HazelcastInstance hz) {
    var a = hz.getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }

  /** The disk's own sequential write (no fsync, as the tier) and read of {@code mib} MiB, MiB/s. */
  private static double[] sequential(Path file, int mib) throws IOException {
    Files.createDirectories(file.getParent());
    ByteBuffer buf = ByteBuffer.wrap(randomBytes(BLOB, 1));
    long t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int i = 0; i < mib; i++) {
        buf.rewind();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    }
    double w = mib / ((System.nanoTime() - t0) / 1e9);
    Path synced = file.resolveSibling("seq-fsync.bin");
    t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(synced, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int i = 0; i < mib; i++) {
        buf.rewind();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true);
    }
    double device = mib / ((System.nanoTime() - t0) / 1e9);
    Files.delete(synced);
    t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        buf.clear();
        if (ch.read(buf) < 0) {
          break;
        }
      }
    }
    double r = mib / ((System.nanoTime() - t0) / 1e9);
    Files.delete(file);
    return new double[] {w, r, device};
  }

  /** Write then read {@code mib} MiB of 1 MiB blobs through a client; with a disk tier, memory is evicted before reading. */
  private static double[] throughput(Path tierDir, int mib, boolean disk) {
    String cluster = "kiln-bench-" + UUID.randomUUID();
    HazelcastInstance member = disk
        ? KilnHazelcast.member(cluster, "127.0.0.1", 0, List.of(), new DiskTiers.Settings(tierDir, (long) mib * 4 << 20))
        : KilnHazelcast.member(cluster, "127.0.0.1", 0, List.of());
    var a = member.getCluster().getLocalMember().getAddress();
    HazelcastInstance client = KilnHazelcast.client(cluster, List.of(a.getHost() + ":" + a.getPort()));
    try {
      BlobStore cas = new HazelcastBlobStore(client);
      List<byte[]> blobs = new ArrayList<>();
      List<Digest> digests = new ArrayList<>();
      for (int i = 0; i < mib; i++) {
        byte[] b = randomBytes(BLOB, i * 31L + (disk ? 7 : 3));
        blobs.add(b);
        digests.add(Digest.of(b));
      }
      long t0 = System.nanoTime();
      pipelined(mib, i -> cas.put(digests.get(i), blobs.get(i)));
      double w = mib / ((System.nanoTime() - t0) / 1e9);
      blobs.clear();
      if (disk) {
        member.getMap(HazelcastShape.CAS_MAP).evictAll();
      }
      t0 = System.nanoTime();
      pipelined(mib, i -> cas.get(digests.get(i)).thenAccept(b -> {
        if (b.isEmpty()) {
          throw new IllegalStateException("blob " + digests.get(i) + " was lost");
        }
      }));
      double r = mib / ((System.nanoTime() - t0) / 1e9);
      return new double[] {w, r};
    } finally {
      client.shutdown();
      member.shutdown();
    }
  }

  private static void pipelined(int n, java.util.function.IntFunction<CompletionStage<?>> op) {
    List<CompletableFuture<?>> window = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      window.add(op.apply(i).toCompletableFuture());
      if (window.size() == IN_FLIGHT) {
        window.remove(0).join();
      }
    }
    window.forEach(CompletableFuture::join);
  }

  /** Get latency through a client: a memory hit, and a memory miss served from the disk tier. */
  private static void latency(Path tierDir) {
    String cluster = "kiln-bench-" + UUID.randomUUID();
    HazelcastInstance member = KilnHazelcast.member(cluster, "127.0.0.1", 0, List.of(), new DiskTiers.Settings(tierDir, 1L << 30));
    var a = member.getCluster().getLocalMember().getAddress();
    HazelcastInstance client = KilnHazelcast.client(cluster, List.of(a.getHost() + ":" + a.getPort()));
    try {
      BlobStore cas = new HazelcastBlobStore(client);
      for (int size : new int[] {1 << 10, 64 << 10, 1 << 20}) {
        int n = size >= 1 << 20 ? 200 : 1000;
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          byte[] b = randomBytes(size, size * 7L + i);
          Digest d = Digest.of(b);
          Futures.await(cas.put(d, b));
          digests.add(d);
        }
        Stats warm = new Stats();
        Stats cold = new Stats();
        for (int round = 0; round < 3; round++) {
          for (Digest d : digests) {
            long t0 = System.nanoTime();
            Futures.await(cas.get(d));
            warm.add(System.nanoTime() - t0);
          }
          member.getMap(HazelcastShape.CAS_MAP).evictAll();
          for (Digest d : digests) {
            long t0 = System.nanoTime();
            Futures.await(cas.get(d));
            cold.add(System.nanoTime() - t0);
          }
        }
        System.out.printf("get %7d B: memory hit p50 %.3f p99 %.3f ms | disk hit (then promoted) p50 %.3f p99 %.3f ms (%d samples each)%n",
            size, warm.p(0.5), warm.p(0.99), cold.p(0.5), cold.p(0.99), warm.count());
      }
    } finally {
      client.shutdown();
      member.shutdown();
    }
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
