package dev.kiln.launcher;

import static dev.kiln.launcher.ReapiClient.digest;
import static dev.kiln.launcher.ReapiClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionGrpc;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import build.bazel.remote.execution.v2.ActionCacheGrpc;
import build.bazel.remote.execution.v2.RequestMetadata;
import build.bazel.remote.execution.v2.ToolDetails;
import com.google.longrunning.Operation;
import dev.kiln.common.Executables;
import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import dev.kiln.scheduler.records.Requesters;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The farm dashboard as a browser shows it, on a real embedded farm (KRaft broker, Hazelcast, front
 * node, a sandboxed worker) running real actions for two users over REAPI with tokens and
 * RequestMetadata: a gcc compile, an action served from the cache (Execute and GetActionResult), a
 * failing command, and a slow one still running. Headless Chromium renders the page from the event
 * stream (driven over the DevTools protocol, so the live page is read after the stream filled it);
 * the DOM shows the worker, the action in flight, the finished ones with the failure highlighted
 * and its reason, and per-user usage; the screenshot is kept in target/farm-dashboard.png
 * (docs/img/farm-dashboard.png is a copy).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FarmDashboardChromiumTest {
  @TempDir
  Path dir;

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void chromiumShowsWorkersInFlightFinishedFailuresAndUsers() throws Exception {
    String chromium = Executables.find("chromium").map(Path::toString)
        .orElseThrow(() -> new AssertionError("Debian's chromium is required for this test (apt-get install chromium; .ci/run does)"));
    Path tokens = Files.writeString(dir.resolve("tokens"), "tok-alice alice\ntok-bob bob\ntok-carol carol\n");
    try (EmbeddedFarm farm = EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, 1, 2, Files.createDirectories(dir.resolve("farm")),
        false, "kiln-dash-" + UUID.randomUUID(), Duration.ofSeconds(30), false, Authenticator.fromFile(tokens, Set.of(), Access.FULL), false));
        ReapiClient client = new ReapiClient(farm.port())) {
      byte[] source = utf8("int answer(void) { return 42; }\n");
      client.upload(source);
      Directory root = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("answer.c").setDigest(digest(source))).build();
      var compile = client.action(root, List.of("answer.o"), false, 60, "gcc", "-c", "answer.c", "-o", "answer.o");
      var hello = client.action(Directory.getDefaultInstance(), List.of("out.txt"), false, 60, "sh", "-c", "echo hello > out.txt");
      var broken = client.action(Directory.getDefaultInstance(), List.of(), false, 60, "sh", "-c", "echo 'broken.c:1: error: expected ;' >&2; exit 3");
      var slow = client.action(Directory.getDefaultInstance(), List.of(), true, 60, "sh", "-c", "sleep 15");

      assertThat(execute(client, "tok-alice", "build-alice-1", "CppCompile //answer:answer", compile).getResult().getExitCode()).isZero();
      assertThat(execute(client, "tok-alice", "build-alice-1", "Genrule //hello:out", hello).getResult().getExitCode()).isZero();
      assertThat(execute(client, "tok-alice", "build-alice-2", "Genrule //hello:out", hello).getCachedResult()).isTrue();
      ActionCacheGrpc.newBlockingStub(client.channel).withInterceptors(headers("tok-bob", "build-bob-7", "CppCompile //answer:answer"))
          .getActionResult(GetActionResultRequest.newBuilder().setInstanceName("main").setActionDigest(compile).build());
      assertThat(execute(client, "tok-bob", "build-bob-7", "CppCompile //broken:broken", broken).getResult().getExitCode()).isEqualTo(3);
      CompletableFuture<ExecuteResponse> running = CompletableFuture.supplyAsync(() -> execute(client, "tok-carol", "build-carol-3", "Sleep //slow:wait", slow));

      String url = "http://127.0.0.1:" + farm.port() + "/";
      Path png = Path.of("target", "farm-dashboard.png").toAbsolutePath();
      String dom;
      try (DevToolsPage page = DevToolsPage.open(chromium, dir, url, 1400, 1250)) {
        // Filled by the event stream: the page itself is static.
        page.await("document.getElementById('conn').textContent === 'live' && document.getElementById('slots').textContent === '1 / 2'"
            + " && document.getElementById('actions-hour').textContent === '5' && document.getElementById('inflight').textContent.includes('executing')");
        dom = page.evaluate("document.documentElement.outerHTML");
        Files.write(png, page.screenshot());
      }
      assertThat(dom).contains("<span class=\"value\" id=\"workers-count\">1</span>").contains("data-worker=\"worker-0\"")
          .contains("<span class=\"slot busy\"></span>");
      assertThat(dom).contains("Sleep //slow:wait").contains("<td>executing</td>").contains(">carol</a>");
      assertThat(dom).contains("<tr class=\"failed\" data-status=\"failed\">").contains("exit code 3").contains(">build-bob-7</a>")
          .contains("CppCompile //answer:answer").contains("<td class=\"cache\">cache hit</td>");
      assertThat(dom).contains("<span class=\"value\" id=\"hit-rate\">40%</span>").contains("<span class=\"value\" id=\"failures-hour\">1</span>");
      assertThat(dom).contains("<a href=\"/actions?user=alice\">alice</a>").contains("<a href=\"/actions?user=bob\">bob</a>");
      BufferedImage shot = ImageIO.read(png.toFile());
      assertThat(shot.getWidth()).isEqualTo(1400);
      assertThat(hasColour(shot, 0xff, 0xdd, 0xdd)).as("the failed action's row, highlighted red").isTrue();
      assertThat(hasColour(shot, 0x3b, 0x6f, 0xd8)).as("a busy slot / executed bar").isTrue();
      assertThat(hasColour(shot, 0x2e, 0x9e, 0x5b)).as("the cache hits, green").isTrue();

      assertThat(running.get(60, TimeUnit.SECONDS).getResult().getExitCode()).isZero();
      HttpResponse<String> carol = HTTP.send(HttpRequest.newBuilder(URI.create(url + "actions?user=carol&status=ok")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(new JsonObject(carol.body()).getJsonArray("actions").getJsonObject(0).getString("worker")).isEqualTo("worker-0");
    }
  }

  private static io.grpc.ClientInterceptor headers(String token, String build, String label) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    String[] parts = label.split(" ", 2);
    md.put(Metadata.Key.of(Requesters.METADATA_HEADER, Metadata.BINARY_BYTE_MARSHALLER), RequestMetadata.newBuilder()
        .setToolDetails(ToolDetails.newBuilder().setToolName("bazel").setToolVersion("7.4.1")).setToolInvocationId(build)
        .setActionMnemonic(parts[0]).setTargetId(parts[1]).build().toByteArray());
    return MetadataUtils.newAttachHeadersInterceptor(md);
  }

  private static ExecuteResponse execute(ReapiClient client, String token, String build, String label,
      build.bazel.remote.execution.v2.Digest action) {
    List<Operation> ops = new ArrayList<>();
    ExecutionGrpc.newBlockingStub(client.channel).withInterceptors(headers(token, build, label)).withDeadlineAfter(120, TimeUnit.SECONDS)
        .execute(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(action).build()).forEachRemaining(ops::add);
    return ReapiClient.response(ops.get(ops.size() - 1));
  }

  private static boolean hasColour(BufferedImage img, int r, int g, int b) {
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y);
        if (Math.abs((rgb >> 16 & 0xff) - r) <= 3 && Math.abs((rgb >> 8 & 0xff) - g) <= 3 && Math.abs((rgb & 0xff) - b) <= 3) {
          return true;
        }
      }
    }
    return false;
  }
}
