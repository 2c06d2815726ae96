package dev.kiln.scheduler.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ac.InMemoryActionCache;
import dev.kiln.ac.InMemoryOpaqueActionCache;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.goma.InMemoryGomaFileStore;
import dev.kiln.queue.InMemoryQueue;
import dev.kiln.scheduler.FrontNode;
import dev.kiln.scheduler.TestFrontNode;
import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import dev.kiln.state.InMemoryExecutionState;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewerGateTest {
  @TempDir
  Path dir;

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBrowsersBasicPasswordIsTheToken() {
    assertThat(ViewerGate.token(basic("anyone:s3cret"))).isEqualTo("s3cret");
    assertThat(ViewerGate.token(basic("s3cret"))).isEqualTo("s3cret");
    assertThat(ViewerGate.token("Bearer s3cret")).isEqualTo("Bearer s3cret");
    assertThat(ViewerGate.token(null)).isNull();
    assertThat(ViewerGate.token("Basic ***")).isEqualTo("malformed basic credentials");
  }

  @Test
  void withAnonymousDeniedTheFarmAsksABrowserForTheToken() throws Exception {
    Authenticator auth = Authenticator.fromFile(Files.writeString(dir.resolve("tokens"), "s3cret alice\n"), Set.of(), Access.DENIED);
    Vertx vertx = Vertx.vertx();
    InMemoryExecutionState state = new InMemoryExecutionState();
    InMemoryQueue queue = new InMemoryQueue();
    FrontNode node = new FrontNode(vertx, TestFrontNode.config(), new FrontNode.Cluster(new InMemoryBlobStore(), new InMemoryActionCache(),
        new InMemoryOpaqueActionCache(), new InMemoryGomaFileStore(), state, state, state, state, queue, queue.newFeed()), auth, Clock.systemUTC());
    try {
      int port = node.start().toCompletionStage().toCompletableFuture().join();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String path : new String[] {"/", "/events", "/actions", "/farm/dashboard.js"}) {
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).as(path).isEqualTo(401);
        assertThat(denied.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
      }
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions"))
          .header("authorization", basic("me:nope")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);
      for (String header : new String[] {basic("me:s3cret"), "Bearer s3cret"}) {
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions"))
            .header("authorization", header).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
      }
    } finally {
      node.close();
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
