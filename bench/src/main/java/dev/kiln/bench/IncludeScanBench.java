package dev.kiln.bench;

import dev.kiln.client.cxx.CompileCommands;
import dev.kiln.client.cxx.CompilerFlags;
import dev.kiln.client.cxx.CompilerInfo;
import dev.kiln.client.cxx.IncludeProcessor;
import java.util.List;

/**
 * Include scan time per translation unit: Kiln's include processor (as the proxy runs it: one
 * long-lived scanner whose per-file directive cache is warm) against {@code gcc -M} of the same
 * command. Usage: IncludeScanBench [lua|git|ninja ...]
 */
public final class IncludeScanBench {
  public static void main(String[] args) throws Exception {
    List<String> workloads = args.length > 0 ? List.of(args) : List.of("lua", "git", "ninja");
    System.out.println("machine: " + BenchFarm.machine());
    System.out.println("| workload | TUs | scanner per TU p50 / p90 ms | gcc -M per TU p50 / p90 ms | speed-up (p50) |");
    System.out.println("|---|---|---|---|---|");
    for (String w : workloads) {
      List<CompileCommands> commands = switch (w) {
        case "lua" -> CompileCommands.lua();
        case "git" -> CompileCommands.git();
        default -> CompileCommands.ninja();
      };
      IncludeProcessor scanner = new IncludeProcessor();
      CompilerInfo.Cache infos = new CompilerInfo.Cache();
      for (int warm = 0; warm < 2; warm++) {
        for (CompileCommands c : commands) {
          scan(scanner, infos, c.argv(), c.cwd());
        }
      }
      Stats ours = new Stats();
      Stats gcc = new Stats();
      for (CompileCommands c : commands) {
        // A macro no header looks at makes this a compile the scanner has not seen, so it really
        // scans (its per-compile manifest would answer a repeat), with its per-file caches warm.
        List<String> fresh = new java.util.ArrayList<>(c.argv());
        fresh.add(1, "-DKILN_BENCH_UNSEEN=1");
        long t0 = System.nanoTime();
        scan(scanner, infos, fresh, c.cwd());
        ours.add(System.nanoTime() - t0);
        t0 = System.nanoTime();
        gccM(c);
        gcc.add(System.nanoTime() - t0);
      }
      System.out.printf("| %s | %d | %.2f / %.2f | %.2f / %.2f | %.1fx |%n", w, commands.size(), ours.p(0.5), ours.p(0.9),
          gcc.p(0.5), gcc.p(0.9), gcc.p(0.5) / ours.p(0.5));
    }
  }

  private static void scan(IncludeProcessor scanner, CompilerInfo.Cache infos, List<String> argv, java.nio.file.Path cwd) {
    CompilerFlags flags = CompilerFlags.parse(argv, cwd);
    scanner.inputs(flags.inputs().get(0), flags, infos.get(argv.get(0), flags.isCxx(), flags.infoFlags()));
  }

  private static void gccM(CompileCommands c) throws Exception {
    List<String> cmd = c.gccMCommand();
    Process p = new ProcessBuilder(cmd).directory(c.cwd().toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor();
  }

}
