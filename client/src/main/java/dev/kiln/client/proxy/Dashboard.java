package dev.kiln.client.proxy;

/** The proxy's dashboard page: counters and the most recent tasks, failures and fallbacks marked. */
final class Dashboard {
  private Dashboard() {}

  static String render(ProxyStats stats) {
    StringBuilder b = new StringBuilder("<!doctype html><html><head><title>kiln-cc proxy</title><style>"
        + "body{font-family:sans-serif}td{padding:2px 8px}.fallback{background:#fdd}.hit{background:#dfd}</style></head><body>"
        + "<h1>kiln-cc proxy</h1><h2>Counters</h2><table>");
    stats.counters().forEach((k, v) -> b.append("<tr><td>").append(k).append("</td><td id=\"").append(k).append("\">").append(v).append("</td></tr>"));
    b.append("</table><h2>Recent tasks</h2><table><tr><th>outcome</th><th>ms</th><th>command</th><th>reason</th></tr>");
    for (ProxyStats.Task t : stats.recent()) {
      String cls = t.outcome().contains("fallback") ? "fallback" : t.outcome().endsWith("cache hit") ? "hit" : "";
      b.append("<tr class=\"").append(cls).append("\"><td>").append(t.outcome()).append("</td><td>").append(t.millis())
          .append("</td><td>").append(escape(t.command())).append("</td><td>").append(escape(t.reason())).append("</td></tr>");
    }
    return b.append("</table></body></html>").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
