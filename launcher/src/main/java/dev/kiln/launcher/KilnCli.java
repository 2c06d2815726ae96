package dev.kiln.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/kiln}: one entry point for every role. */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "kiln 0.1.0",
    description = "Kiln, a self-hosted distributed compile farm.",
    subcommands = {UpCommand.class, BrokerCommand.class, TopicsCommand.class, CacheCommand.class, FrontCommand.class, WorkerCommand.class, ProxyCommand.class})
public final class KilnCli {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Kiln's defaults, and mistakes a user can fix printed as one line (exit 2). */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new KilnCli());
    cli.setDefaultValueProvider(new KilnDefaults(System.getenv()));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof Preflight.UserError || e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
        line.getErr().println("kiln: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli;
  }
}
