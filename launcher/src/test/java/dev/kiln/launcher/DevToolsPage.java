package dev.kiln.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One page in headless Chromium, driven over the DevTools protocol (the browser's own WebSocket,
 * java.net.http on this side): evaluate JavaScript in the live page, capture a screenshot. Unlike
 * {@code --dump-dom}, the page keeps running, so what a server-sent event stream renders can be
 * waited for. Callers bound their waits with a test timeout.
 */
final class DevToolsPage implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");

  private final Process browser;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private DevToolsPage(Process browser, WebSocket.Builder builder, String pageUrl) throws Exception {
    this.browser = browser;
    this.socket = builder.buildAsync(URI.create(pageUrl), new Listener()).get(30, TimeUnit.SECONDS);
  }

  static DevToolsPage open(String chromium, Path dir, String url, int width, int height) throws Exception {
    Path log = dir.resolve("chromium-devtools.log");
    Process p = new ProcessBuilder(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--remote-debugging-port=0",
        "--remote-allow-origins=*", "--user-data-dir=" + dir.resolve("devtools-profile"), "--window-size=" + width + "," + height, url)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String port = null;
    while (port == null) {
      if (!p.isAlive()) {
        throw new AssertionError("chromium exited: " + Files.readString(log));
      }
      Matcher m = LISTENING.matcher(Files.readString(log));
      port = m.find() ? m.group(1) : null;
      Thread.sleep(100);
    }
    HttpClient http = HttpClient.newHttpClient();
    String pageUrl = null;
    while (pageUrl == null) {
      JsonArray targets = new JsonArray(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      pageUrl = targets.stream().map(t -> (JsonObject) t).filter(t -> "page".equals(t.getString("type")))
          .map(t -> t.getString("webSocketDebuggerUrl")).findFirst().orElse(null);
      Thread.sleep(100);
    }
    return new DevToolsPage(p, http.newWebSocketBuilder(), pageUrl);
  }

  private JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true).get(30, TimeUnit.SECONDS);
    JsonObject reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.containsKey("error")) {
      throw new AssertionError(method + " failed: " + reply.getJsonObject("error"));
    }
    return reply.getJsonObject("result");
  }

  /** The value of {@code expression} in the page, as a string ("" for undefined or null). */
  String evaluate(String expression) throws Exception {
    JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression).put("returnByValue", true)).getJsonObject("result");
    Object v = r.getValue("value");
    return v == null ? "" : String.valueOf(v);
  }

  /** Evaluates {@code condition} every 200 ms until it is true. */
  void await(String condition) throws Exception {
    while (!"true".equals(evaluate("Boolean(" + condition + ")"))) {
      Thread.sleep(200);
    }
  }

  byte[] screenshot() throws Exception {
    return Base64.getDecoder().decode(call("Page.captureScreenshot", new JsonObject().put("format", "png")).getString("data"));
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    browser.destroy();
    if (!browser.waitFor(30, TimeUnit.SECONDS)) {
      browser.destroyForcibly();
    }
  }

  /** Joins fragmented text frames and completes the call each reply answers. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject message = new JsonObject(text.toString());
        text.setLength(0);
        Integer id = message.getInteger("id");
        CompletableFuture<JsonObject> answer = id == null ? null : pending.remove(id);
        if (answer != null) {
          answer.complete(message);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
