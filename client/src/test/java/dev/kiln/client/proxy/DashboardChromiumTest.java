package dev.kiln.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.remote.FileHashes;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.common.Executables;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import io.vertx.core.Vertx;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a browser shows it: headless Chromium (Debian's chromium, installed by .ci/run)
 * loads it after a remote compile, a cache hit, a failed compile and a fallback, the DOM it
 * renders has each task with its phases and inputs, and the screenshot (kept in
 * target/dashboard.png) shows the failure and the hit highlighted.
 */
class DashboardChromiumTest {
  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static ExecResp answer(ExecReq req) throws IOException {
    String src = req.getArg(req.getArgCount() - 3);
    if (src.startsWith("down")) {
      throw new IOException("connection refused");
    }
    boolean bad = src.startsWith("bad");
    ExecResult.Builder r = ExecResult.newBuilder().setExitStatus(bad ? 1 : 0);
    if (bad) {
      r.setStderrBuffer(ByteString.copyFromUtf8(src + ":1:1: error: expected ';'"));
    } else {
      r.addOutput(ExecResult.Output.newBuilder().setFilename(req.getExpectedOutputFiles(0))
          .setBlob(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(3).setContent(ByteString.copyFromUtf8("obj"))));
    }
    return ExecResp.newBuilder().setResult(r).setCacheHit(src.startsWith("hit") ? ExecResp.CacheSource.STORAGE_CACHE : ExecResp.CacheSource.NO_CACHE)
        .build();
  }

  @Test
  void chromiumRendersTasksPhasesInputsAndHighlights() throws Exception {
    String chromium = Executables.find("chromium").map(Path::toString)
        .orElseThrow(() -> new AssertionError("Debian's chromium is required for this test (apt-get install chromium; .ci/run does)"));
    ProxyServer proxy = new ProxyServer(vertx, new GomaRemoteCompiler((req, key) -> answer(req), CompilerTypes.builtIn(),
        new FileHashes(Clock.systemUTC())), Clock.systemUTC(), () -> { }, ProxySecret.random(dir.resolve("secret")));
    int port = proxy.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    String secret = Files.readString(dir.resolve("secret").resolve("proxy-" + port + ".secret")).strip();
    Files.writeString(dir.resolve("common.h"), "int c;\n");
    HttpClient http = HttpClient.newHttpClient();
    for (String unit : List.of("ok.c", "hit.c", "bad.c", "down.c")) {
      Files.writeString(dir.resolve(unit), "#include \"common.h\"\n");
      String body = dir + "\0gcc\0-c\0" + unit + "\0-o\0" + unit.replace(".c", ".o") + "\0";
      http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/compile")).header("X-Kiln-Secret", secret).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.discarding());
    }
    String url = "http://127.0.0.1:" + port + "/";

    String dom = browser(chromium, "--dump-dom", url);
    assertThat(dom).contains("<td id=\"remote\">3</td>").contains("<td id=\"local_fallback\">1</td>").contains("<td id=\"failed\">1</td>");
    assertThat(dom).contains("<tr class=\"failed\"><td>failed</td>").contains("<tr class=\"hit\"><td>cache hit</td>")
        .contains("<tr class=\"fallback\"><td>local fallback</td>").contains("connection refused");
    assertThat(dom).contains("<th>flag parse</th>").contains("<th>output write</th>").contains("3 inputs</a>");
    assertThat(browser(chromium, "--dump-dom", url + "task?id=1")).contains(dir.resolve("common.h").toString()).contains("remote wait ms");

    Path png = Path.of("target", "dashboard.png").toAbsolutePath();
    Files.deleteIfExists(png);
    browser(chromium, "--screenshot=" + png, "--window-size=1400,1000", url);
    BufferedImage shot = ImageIO.read(png.toFile());
    assertThat(shot.getWidth()).isEqualTo(1400);
    assertThat(hasColour(shot, 0xff, 0xdd, 0xdd)).as("a failure or fallback row, highlighted red").isTrue();
    assertThat(hasColour(shot, 0xdd, 0xff, 0xdd)).as("a cache-hit row, highlighted green").isTrue();
    assertThat(browser(chromium, "--dump-dom", "http://127.0.0.1:" + port + "/compilerinfoz")).contains("binary sha256").contains("gcc /usr/bin/gcc");
  }

  private String browser(String chromium, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--user-data-dir=" + dir.resolve("profile")));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("chromium.log"))).isZero();
    return out;
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
