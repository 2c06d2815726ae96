package dev.kiln.client.proxy;

import dev.kiln.client.compiler.CompilerDetails;
import dev.kiln.client.remote.CompileTask;
import dev.kiln.proto.events.Toolchain;
import java.util.List;
import java.util.Map;

/**
 * The proxy's pages: the dashboard (counters; running and finished tasks with per-phase times,
 * linked to their inputs; failures and fallbacks highlighted), one task, and /compilerinfoz.
 */
final class Dashboard {
  private static final String STYLE = "<style>body{font-family:sans-serif;margin:1em}td,th{padding:2px 8px;text-align:left;vertical-align:top}"
      + ".fallback,.failed{background:#fdd}.hit{background:#dfd}.running{background:#ffd}details{font-size:small}"
      + "nav a{margin-right:1em}</style>";
  private static final List<String> PHASES = List.of("flag parse", "compiler info", "include scan", "upload", "remote wait", "output write");

  private Dashboard() {}

  static String render(ProxyStats stats) {
    StringBuilder b = page("kiln-cc proxy").append("<meta http-equiv=\"refresh\" content=\"5\">");
    if (!stats.authReason().isEmpty()) {
      b.append("<p id=\"auth\" class=\"fallback\">Compiling locally: ").append(escape(stats.authReason())).append("</p>");
    }
    b.append("<h2>Counters</h2><table>");
    stats.counters().forEach((k, v) -> b.append("<tr><td>").append(k).append("</td><td id=\"").append(k).append("\">").append(v).append("</td></tr>"));
    b.append("</table><h2>Active tasks</h2>");
    tasks(b, stats.active(), "active");
    b.append("<h2>Finished tasks</h2>");
    tasks(b, stats.recent(), "finished");
    return b.append("</body></html>").toString();
  }

  /** One task: its phases and every input (kept off the dashboard itself, which would grow to megabytes). */
  static String task(CompileTask t) {
    StringBuilder b = page("kiln-cc task " + t.id()).append("<table>");
    row(b, "command", t.command());
    row(b, "outcome", t.outcome());
    row(b, "ms", Long.toString(t.millis()));
    t.phases().forEach((k, v) -> row(b, k + " ms", v.toString()));
    row(b, "reason", t.reason());
    b.append("</table><h2>").append(t.inputs().size()).append(" inputs</h2><ul>");
    t.inputs().forEach(i -> b.append("<li>").append(escape(i)).append("</li>"));
    return b.append("</ul></body></html>").toString();
  }

  static String compilers(Map<String, CompilerDetails> compilers) {
    StringBuilder b = page("kiln-cc compilers").append("<h2>Compiler info</h2>");
    if (compilers.isEmpty()) {
      b.append("<p>No compiler seen yet.</p>");
    }
    compilers.forEach((key, d) -> {
      Toolchain t = d.toolchain();
      b.append("<h3>").append(escape(key)).append("</h3><table>");
      row(b, "name", t.getName());
      row(b, "version", t.getVersion());
      row(b, "target", t.getTarget());
      row(b, "binary sha256", t.getBinarySha256());
      row(b, "path", t.getPath());
      d.facts().forEach((k, v) -> row(b, k, v));
      b.append("</table>");
    });
    return b.append("</body></html>").toString();
  }

  private static StringBuilder page(String title) {
    return new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(title).append("</title>").append(STYLE)
        .append("</head><body><h1>").append(title).append("</h1><nav><a href=\"/\">dashboard</a><a href=\"/compilerinfoz\">compilerinfoz</a>")
        .append("<a href=\"/logz\">logz</a><a href=\"/statz\">statz</a></nav>");
  }

  private static void tasks(StringBuilder b, List<CompileTask> tasks, String id) {
    b.append("<table id=\"").append(id).append("\"><tr><th>outcome</th><th>ms</th>");
    PHASES.forEach(p -> b.append("<th>").append(p).append("</th>"));
    b.append("<th>command and inputs</th><th>reason</th></tr>");
    for (CompileTask t : tasks) {
      String outcome = t.outcome();
      String cls = outcome.contains("fallback") ? "fallback" : outcome.equals("failed") ? "failed" : outcome.endsWith("cache hit") ? "hit"
          : outcome.equals("running") ? "running" : "";
      b.append("<tr class=\"").append(cls).append("\"><td>").append(outcome).append("</td><td>").append(t.millis()).append("</td>");
      Map<String, Long> phases = t.phases();
      PHASES.forEach(p -> b.append("<td>").append(phases.containsKey(p) ? phases.get(p).toString() : "").append("</td>"));
      b.append("<td>").append(escape(t.command()));
      int inputs = t.inputs().size();
      if (inputs > 0) {
        b.append("<br><a href=\"/task?id=").append(t.id()).append("\">").append(inputs).append(" inputs</a>");
      }
      b.append("</td><td>").append(escape(t.reason())).append("</td></tr>");
    }
    b.append("</table>");
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v)).append("</td></tr>");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
