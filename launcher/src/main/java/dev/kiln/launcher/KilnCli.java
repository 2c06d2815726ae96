package dev.kiln.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/kiln}: one entry point for every role. */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "kiln 0.1.0",
    description = "Kiln, a self-hosted distributed compile farm.",
    subcommands = {UpCommand.class})
public final class KilnCli {
  public static void main(String[] args) {
    System.exit(new CommandLine(new KilnCli()).execute(args));
  }
}
