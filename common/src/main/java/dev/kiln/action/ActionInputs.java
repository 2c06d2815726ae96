package dev.kiln.action;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.tree.PathRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An action and its command, read from the CAS and checked: the working directory and every
 * output path stay inside the exec root, the timeout is within the farm's maximum, and a requested
 * input root path ({@link InputRootPath}) is one the sandbox can mount.
 */
public record ActionInputs(Action action, Command command, String workingDirectory, List<String> outputPaths, Duration timeout,
    Optional<String> inputRootPath) {

  public static ActionInputs load(BlobStore cas, Digest actionDigest, Duration defaultTimeout, Duration maxTimeout) {
    Action action = parseAction(Futures.await(cas.getRequired(actionDigest)), actionDigest);
    Digest commandDigest = Digest.fromProto(action.getCommandDigest());
    Command command;
    try {
      command = Command.parseFrom(Futures.await(cas.getRequired(commandDigest)));
    } catch (InvalidProtocolBufferException e) {
      throw FarmException.invalidArgument("blob %s is not a Command message: %s", commandDigest, e.getMessage());
    }
    return check(action, command, defaultTimeout, maxTimeout);
  }

  /** Checks an already-fetched action and command (the front node does this at the edge). */
  public static ActionInputs check(Action action, Command command, Duration defaultTimeout, Duration maxTimeout) {
    if (command.getArgumentsCount() == 0) {
      throw FarmException.invalidArgument("command has no arguments");
    }
    String wd = PathRules.checkRelativePath(command.getWorkingDirectory(), "working directory", true);
    List<String> outputs = new ArrayList<>();
    List<String> declared = command.getOutputPathsCount() > 0 ? command.getOutputPathsList()
        : concat(command.getOutputFilesList(), command.getOutputDirectoriesList());
    for (String out : declared) {
      PathRules.checkRelativePath(wd.isEmpty() ? out : wd + "/" + out, "output path", false);
      outputs.add(out);
    }
    Duration timeout = defaultTimeout;
    if (action.hasTimeout()) {
      timeout = Duration.ofMillis(Durations.toMillis(action.getTimeout()));
      if (timeout.isNegative() || timeout.compareTo(maxTimeout) > 0) {
        throw FarmException.invalidArgument("action timeout %s is outside 0..%s", timeout, maxTimeout);
      }
      if (timeout.isZero()) {
        timeout = defaultTimeout;
      }
    }
    return new ActionInputs(action, command, wd, List.copyOf(outputs), timeout, InputRootPath.of(action, command));
  }

  private static Action parseAction(byte[] bytes, Digest d) {
    try {
      return Action.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw FarmException.invalidArgument("blob %s is not an Action message: %s", d, e.getMessage());
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
