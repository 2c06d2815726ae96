package dev.kiln.launcher;

import java.util.concurrent.CountDownLatch;

/** Keeps a role's process alive until SIGTERM/Ctrl-C, then closes it (in its own order). */
final class RoleProcess {
  private RoleProcess() {}

  static int runUntilStopped(String banner, AutoCloseable role) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        role.close();
      } catch (Exception e) {
        System.err.println("kiln: error while stopping: " + e);
      }
      stopped.countDown();
    }, "kiln-shutdown"));
    System.out.println(banner);
    System.out.flush();
    stopped.await();
    return 0;
  }

  static java.util.List<String> list(String csv) {
    return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
