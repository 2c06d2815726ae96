package dev.kiln.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/kiln}: one entry point for every role. */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "kiln 0.1.0",
    description = "Kiln, a self-hosted distributed compile farm.",
    subcommands = {UpCommand.class, BrokerCommand.class, TopicsCommand.class, CacheCommand.class, FrontCommand.class, WorkerCommand.class, ProxyCommand.class})
public final class KilnCli {
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new KilnCli());
    cli.setDefaultValueProvider(new KilnDefaults(System.getenv()));
    System.exit(cli.execute(args));
  }
}
