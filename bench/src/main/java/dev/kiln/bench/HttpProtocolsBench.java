package dev.kiln.bench;

import com.google.protobuf.ByteString;
import dev.kiln.common.Hashing;
import dev.kiln.launcher.EmbeddedFarm;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.toolchain.CompilerProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cache hits over the two HTTP protocols: Goma /e of a cached compile (a 2-input gcc compile, as
 * compiler_proxy sends it, inputs embedded) and Bazel-HTTP-cache GET /cas/{hash} of a 10 KiB blob.
 * Per round: 1 client (latency), then {@code clients} requests in flight (throughput).
 * Usage: HttpProtocolsBench [rounds] [seconds] [clients]
 */
public final class HttpProtocolsBench {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    try (EmbeddedFarm farm = BenchFarm.start(1, 2)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = "http://127.0.0.1:" + farm.port();
      HttpRequest goma = gomaRequest(base);
      ExecResp first = ExecResp.parseFrom(http.send(goma, HttpResponse.BodyHandlers.ofByteArray()).body());
      if (first.getResult().getExitStatus() != 0) {
        throw new IllegalStateException("compile failed: " + first);
      }
      byte[] blob = ("cas blob " + UUID.randomUUID()).repeat(300).getBytes(StandardCharsets.UTF_8);
      String hash = Hashing.sha256Hex(blob);
      http.send(HttpRequest.newBuilder(URI.create(base + "/cas/" + hash)).PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(),
          HttpResponse.BodyHandlers.discarding());
      HttpRequest casGet = HttpRequest.newBuilder(URI.create(base + "/cas/" + hash)).GET().build();

      System.out.println("machine: " + BenchFarm.machine());
      System.out.println("| protocol | round | clients | requests/s | p50 ms | p99 ms |");
      System.out.println("|---|---|---|---|---|---|");
      for (var entry : List.of(new Object[] {"Goma /e cache hit", goma}, new Object[] {"HTTP cache GET /cas (10 KiB)", casGet})) {
        String name = (String) entry[0];
        HttpRequest req = (HttpRequest) entry[1];
        List<Double> p50s = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        measure(http, req, 1, 5);
        measure(http, req, clients, 5);
        for (int r = 1; r <= rounds; r++) {
          for (int c : new int[] {1, clients}) {
            Result res = measure(http, req, c, seconds);
            (c == 1 ? p50s : rates).add(c == 1 ? res.stats.p(0.5) : res.rate);
            System.out.printf("| %s | %d | %d | %.0f | %.3f | %.3f |%n", name, r, c, res.rate, res.stats.p(0.5), res.stats.p(0.99));
          }
        }
        System.out.printf("%s: median p50 %.3f ms with 1 client, median %.0f requests/s with %d clients%n", name,
            Stats.median(p50s), Stats.median(rates), clients);
      }
    }
  }

  private record Result(Stats stats, double rate) {}

  private static Result measure(HttpClient http, HttpRequest req, int inFlight, int seconds) throws Exception {
    Stats stats = new Stats();
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long n = 0;
    while (System.nanoTime() < end) {
      slots.acquire();
      long t0 = System.nanoTime();
      http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
        synchronized (stats) {
          stats.add(System.nanoTime() - t0);
        }
        if (e != null || r.statusCode() != 200) {
          errors.incrementAndGet();
        }
        slots.release();
      });
      n++;
    }
    slots.acquire(inFlight);
    if (errors.get() > 0) {
      throw new IllegalStateException(errors.get() + " failed requests");
    }
    return new Result(stats, n / (double) seconds);
  }

  private static HttpRequest gomaRequest(String base) {
    Toolchain gcc = CompilerProbe.probe(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")).stream()
        .filter(t -> t.getName().equals("gcc")).findFirst().orElseThrow();
    String header = "#define ANSWER 42\n";
    String source = "#include \"h.h\"\nint answer_" + UUID.randomUUID().toString().replace("-", "") + "(void) { return ANSWER; }\n";
    ExecReq req = ExecReq.newBuilder().setCommandSpec(CommandSpec.newBuilder().setName("gcc").setVersion(gcc.getVersion())
            .setTarget(gcc.getTarget()).setBinaryHash(ByteString.copyFromUtf8(gcc.getBinarySha256())))
        .addArg("gcc").addArg("-c").addArg("a.c").addArg("-o").addArg("a.o").setCwd("/home/bench/proj")
        .addExpectedOutputFiles("a.o").addInput(input("a.c", source)).addInput(input("h.h", header)).build();
    return HttpRequest.newBuilder(URI.create(base + "/cxx-compiler-service/e")).header("Content-Type", "binary/x-protocol-buffer")
        .POST(HttpRequest.BodyPublishers.ofByteArray(req.toByteArray())).build();
  }

  private static ExecReq.Input input(String name, String content) {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    FileBlob blob = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(b.length).setContent(ByteString.copyFrom(b)).build();
    return ExecReq.Input.newBuilder().setFilename(name).setHashKey(Hashing.sha256Hex(blob.toByteArray())).setContent(blob).build();
  }
}
