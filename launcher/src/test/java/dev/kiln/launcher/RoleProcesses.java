package dev.kiln.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Kiln roles as separate JVMs on loopback, started from this test's classpath. */
final class RoleProcesses implements AutoCloseable {
  private final Path logs;
  private final Map<String, Process> processes = new LinkedHashMap<>();

  RoleProcesses(Path logs) throws IOException {
    this.logs = Files.createDirectories(logs);
  }

  /** Starts {@code kiln ARGS} and waits until its log shows {@code ready}. */
  Process start(String name, String ready, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-XX:TieredStopAtLevel=1", "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=8", "-Dhazelcast.phone.home.enabled=false",
        "-Dhazelcast.logging.type=slf4j", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.dev.kiln=info",
        "-cp", System.getProperty("java.class.path"), "dev.kiln.launcher.KilnCli"));
    cmd.addAll(List.of(args));
    Path log = logs.resolve(name + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    processes.put(name, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    int wanted = starts(name);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError(name + " exited: " + Files.readString(log));
      }
      String text = Files.readString(log);
      if (countOf(text, ready) >= wanted) {
        return p;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " not ready in time: " + Files.readString(log));
  }

  private final Map<String, Integer> startCount = new LinkedHashMap<>();

  private int starts(String name) {
    return startCount.merge(name, 1, Integer::sum);
  }

  private static int countOf(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** SIGKILL: no shutdown hook, no goodbye to Kafka or Hazelcast. */
  void kill9(String name) throws InterruptedException {
    Process p = processes.remove(name);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    List<String> names = new ArrayList<>(processes.keySet());
    java.util.Collections.reverse(names);
    for (String n : names) {
      Process p = processes.get(n);
      p.destroy();
    }
    for (String n : names) {
      Process p = processes.get(n);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
