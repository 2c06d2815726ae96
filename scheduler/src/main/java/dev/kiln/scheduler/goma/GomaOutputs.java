package dev.kiln.scheduler.goma;

import dev.kiln.proto.goma.ExecReq;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a gcc/clang compile writes, relative to its cwd: {@code expected_output_files} when the
 * client sends them (the default), otherwise {@code -o}, {@code -MF} and, for {@code -c} without
 * {@code -o}, each source's .o.
 */
final class GomaOutputs {
  private GomaOutputs() {}

  static List<String> of(ExecReq req) {
    if (req.getExpectedOutputFilesCount() > 0) {
      return req.getExpectedOutputFilesList();
    }
    List<String> args = req.getArgList();
    List<String> out = new ArrayList<>();
    boolean compileOnly = false;
    List<String> sources = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("-o") || a.equals("-MF")) && i + 1 < args.size()) {
        out.add(args.get(++i));
      } else if (a.startsWith("-o") && a.length() > 2) {
        out.add(a.substring(2));
      } else if (a.equals("-c")) {
        compileOnly = true;
      } else if (!a.startsWith("-") && a.matches(".*\\.(c|cc|cpp|cxx|C|s|S|m|mm)$")) {
        sources.add(a);
      }
    }
    if (compileOnly && out.stream().noneMatch(o -> o.endsWith(".o"))) {
      for (String s : sources) {
        String base = s.substring(s.lastIndexOf('/') + 1);
        out.add(base.substring(0, base.lastIndexOf('.')) + ".o");
      }
    }
    return out;
  }
}
