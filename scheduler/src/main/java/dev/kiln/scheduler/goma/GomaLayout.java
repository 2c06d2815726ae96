package dev.kiln.scheduler.goma;

import dev.kiln.common.FarmException;
import dev.kiln.common.SystemDirs;
import dev.kiln.proto.goma.ExecReq;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a Goma compile's files go: the exec root (the client's {@code exec_root}, else the deepest
 * directory holding the cwd, every input and every output), each input's path below it, and the
 * working directory. Inputs under the system directories (/usr, /lib, /etc, ...) are not shipped:
 * the worker's matching toolchain provides them, read-only. Nothing can land outside the exec root.
 */
public record GomaLayout(Path root, String workingDirectory, Map<String, ExecReq.Input> inputs, List<String> outputs) {

  public static GomaLayout of(ExecReq req, List<String> outputs) {
    if (!req.getCwd().startsWith("/")) {
      throw FarmException.invalidArgument("cwd '%s' is not an absolute path", req.getCwd());
    }
    Path cwd = Path.of(req.getCwd()).normalize();
    Map<Path, ExecReq.Input> absolute = new LinkedHashMap<>();
    for (ExecReq.Input in : req.getInputList()) {
      Path p = cwd.resolve(in.getFilename()).normalize();
      if (!SystemDirs.contains(p)) {
        absolute.put(p, in);
      }
    }
    List<Path> outs = new ArrayList<>();
    for (String o : outputs) {
      outs.add(cwd.resolve(o).normalize());
    }
    Path root;
    String execRoot = req.getRequesterInfo().getExecRoot();
    if (!execRoot.isEmpty()) {
      root = Path.of(execRoot).normalize();
      if (!root.isAbsolute()) {
        throw FarmException.invalidArgument("exec_root '%s' is not an absolute path", execRoot);
      }
    } else {
      root = cwd;
      for (Path p : absolute.keySet()) {
        root = common(root, p.getParent());
      }
      for (Path p : outs) {
        root = common(root, p.getParent());
      }
    }
    if (root.getNameCount() == 0) {
      throw FarmException.invalidArgument("the cwd, inputs and outputs share no directory below /");
    }
    checkInside(root, cwd, "cwd");
    Map<String, ExecReq.Input> inputs = new LinkedHashMap<>();
    for (Map.Entry<Path, ExecReq.Input> e : absolute.entrySet()) {
      checkInside(root, e.getKey(), "input '" + e.getValue().getFilename() + "'");
      inputs.put(root.relativize(e.getKey()).toString(), e.getValue());
    }
    List<String> outputsFromWd = new ArrayList<>();
    for (int i = 0; i < outs.size(); i++) {
      checkInside(root, outs.get(i), "output '" + outputs.get(i) + "'");
      outputsFromWd.add(cwd.relativize(outs.get(i)).toString());
    }
    return new GomaLayout(root, root.relativize(cwd).toString(), inputs, outputsFromWd);
  }

  private static void checkInside(Path root, Path p, String what) {
    if (!p.startsWith(root) || p.equals(root) && !what.equals("cwd")) {
      throw FarmException.invalidArgument("%s is outside the exec root %s", what, root);
    }
  }

  private static Path common(Path a, Path b) {
    Path r = a.getRoot();
    int n = Math.min(a.getNameCount(), b.getNameCount());
    for (int i = 0; i < n && a.getName(i).equals(b.getName(i)); i++) {
      r = r.resolve(a.getName(i));
    }
    return r;
  }
}
