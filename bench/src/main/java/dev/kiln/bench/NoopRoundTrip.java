package dev.kiln.bench;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpc;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import build.bazel.remote.execution.v2.ExecutionGrpc;
import com.google.longrunning.Operation;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.kiln.common.Hashing;
import dev.kiln.launcher.EmbeddedFarm;
import dev.kiln.worker.sandbox.SandboxDirs;
import dev.kiln.worker.sandbox.SandboxLimits;
import dev.kiln.worker.sandbox.SandboxProbe;
import dev.kiln.worker.sandbox.RunRequest;
import dev.kiln.worker.sandbox.SandboxRunner;
import dev.kiln.worker.sandbox.UnsandboxedRunner;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * No-op action round trip: Execute of /bin/true with skip_cache_lookup, one in flight, through the
 * embedded farm (front node, Kafka, worker, bubblewrap, Hazelcast), next to the raw Kafka
 * produce-to-consume round trip on the same broker and the bare cost of starting bubblewrap.
 * Usage: NoopRoundTrip [rounds] [samples-per-round]
 */
public final class NoopRoundTrip {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    try (EmbeddedFarm farm = BenchFarm.start(1, 1)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", farm.port()).usePlaintext().build();
      Digest action = uploadNoop(channel);
      ExecutionGrpc.ExecutionBlockingStub exec = ExecutionGrpc.newBlockingStub(channel);
      List<String> rows = new ArrayList<>();
      List<Double> p50s = new ArrayList<>();
      List<Double> kafkaP50s = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        Stats total = new Stats();
        Stats admit = new Stats();
        Stats prepare = new Stats();
        Stats notify = new Stats();
        Stats queue = new Stats();
        Stats fetch = new Stats();
        Stats run = new Stats();
        Stats upload = new Stats();
        for (int i = 0; i < samples + 30; i++) {
          long w0 = System.currentTimeMillis() * 1_000_000L;
          long t0 = System.nanoTime();
          ExecuteResponse resp = execute(exec, action);
          long t = System.nanoTime() - t0;
          long w1 = System.currentTimeMillis() * 1_000_000L;
          if (i < 30) {
            continue;
          }
          ExecutedActionMetadata m = resp.getResult().getExecutionMetadata();
          total.add(t);
          admit.add(wall(m.getQueuedTimestamp()) - w0);
          queue.add(nanos(m.getQueuedTimestamp(), m.getWorkerStartTimestamp()));
          prepare.add(nanos(m.getWorkerStartTimestamp(), m.getInputFetchStartTimestamp()));
          notify.add(w1 - wall(m.getWorkerCompletedTimestamp()));
          fetch.add(nanos(m.getInputFetchStartTimestamp(), m.getInputFetchCompletedTimestamp()));
          run.add(nanos(m.getExecutionStartTimestamp(), m.getExecutionCompletedTimestamp()));
          upload.add(nanos(m.getOutputUploadStartTimestamp(), m.getOutputUploadCompletedTimestamp()));
        }
        Stats kafka = kafkaRoundTrip(farm.kafkaBootstrap(), samples);
        p50s.add(total.p(0.5));
        kafkaP50s.add(kafka.p(0.5));
        rows.add(String.format("| %d | %.2f / %.2f | %.1f | %.1f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f / %.2f |", r + 1, total.p(0.5), total.p(0.99),
            admit.p(0.5), queue.p(0.5), prepare.p(0.5), fetch.p(0.5), run.p(0.5), upload.p(0.5), notify.p(0.5), kafka.p(0.5), kafka.p(0.99)));
      }
      double[] sandbox = sandboxStart(40);
      channel.shutdownNow();
      System.out.println("machine: " + BenchFarm.machine());
      System.out.println("| round | Execute no-op p50 / p99 ms | admit | queue | read action | input fetch | sandbox start + run | upload | report + notify | raw Kafka produce->consume p50 / p99 ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      rows.forEach(System.out::println);
      System.out.printf("median of round p50s: Execute %.2f ms, raw Kafka %.2f ms%n", Stats.median(p50s), Stats.median(kafkaP50s));
      System.out.printf("sandbox start: bwrap /bin/true p50 %.2f ms vs /bin/true p50 %.2f ms (overhead %.2f ms)%n",
          sandbox[0], sandbox[1], sandbox[0] - sandbox[1]);
    }
  }

  private static ExecuteResponse execute(ExecutionGrpc.ExecutionBlockingStub exec, Digest action) throws Exception {
    Iterator<Operation> it = exec.execute(ExecuteRequest.newBuilder().setInstanceName("bench").setActionDigest(action).setSkipCacheLookup(true).build());
    Operation last = null;
    while (it.hasNext()) {
      last = it.next();
    }
    return last.getResponse().unpack(ExecuteResponse.class);
  }

  /** Wall-clock nanoseconds of a timestamp (millisecond resolution, to match the client's clock). */
  private static long wall(Timestamp t) {
    return (t.getSeconds() * 1000L + t.getNanos() / 1_000_000) * 1_000_000L;
  }

  private static long nanos(Timestamp a, Timestamp b) {
    return (b.getSeconds() - a.getSeconds()) * 1_000_000_000L + (b.getNanos() - a.getNanos());
  }

  static Digest digest(byte[] b) {
    return Digest.newBuilder().setHash(Hashing.sha256Hex(b)).setSizeBytes(b.length).build();
  }

  private static Digest uploadNoop(ManagedChannel channel) {
    Command cmd = Command.newBuilder().addArguments("/bin/true").build();
    Directory root = Directory.getDefaultInstance();
    Action action = Action.newBuilder().setCommandDigest(digest(cmd.toByteArray())).setInputRootDigest(digest(root.toByteArray())).build();
    BatchUpdateBlobsRequest.Builder req = BatchUpdateBlobsRequest.newBuilder();
    for (byte[] b : List.of(cmd.toByteArray(), action.toByteArray())) {
      req.addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(b)).setData(ByteString.copyFrom(b)));
    }
    ContentAddressableStorageGrpc.newBlockingStub(channel).batchUpdateBlobs(req.build());
    return digest(action.toByteArray());
  }

  /** acks=all produce, then poll until the same record is consumed; one in flight. */
  static Stats kafkaRoundTrip(String bootstrap, int samples) throws Exception {
    String topic = "bench-rtt-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Stats stats = new Stats();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
         KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      byte[] value = new byte[100];
      for (int i = 0; i < samples + 100; i++) {
        long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, value)).get();
        ConsumerRecords<byte[], byte[]> got;
        do {
          got = consumer.poll(Duration.ofSeconds(1));
        } while (got.isEmpty());
        if (i >= 100) {
          stats.add(System.nanoTime() - t0);
        }
      }
    }
    return stats;
  }

  /** p50 of starting bubblewrap around /bin/true, and of /bin/true alone. */
  private static double[] sandboxStart(int n) throws Exception {
    Path tmp = Files.createTempDirectory("kiln-sandbox-bench");
    SandboxRunner bwrap = SandboxProbe.check(tmp.resolve("exec"), SandboxLimits.defaults());
    Path dir = bwrap.scratchDir(tmp.resolve("exec"));
    SandboxRunner bare = new UnsandboxedRunner();
    double[] out = new double[2];
    int k = 0;
    for (SandboxRunner runner : List.of(bwrap, bare)) {
      Stats s = new Stats();
      Path root = SandboxDirs.newScratch(dir, "root");
      for (int i = 0; i < n + 5; i++) {
        RunRequest req = new RunRequest(root, "", List.of("/bin/true"), Map.of(), Duration.ofSeconds(10), dir.resolve("o"), dir.resolve("e"));
        long t0 = System.nanoTime();
        runner.run(req);
        if (i >= 5) {
          s.add(System.nanoTime() - t0);
        }
      }
      out[k++] = s.p(0.5);
    }
    return out;
  }
}
