package dev.kiln.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a role's settings come from when not given on the command line: the environment
 * ({@code --kafka} from {@code KILN_KAFKA}, {@code --data-dir} from {@code KILN_DATA_DIR}, ...), then
 * the properties file named by {@code KILN_CONFIG} (keys are option names without dashes:
 * {@code kafka=broker:9092}), then the option's own default.
 */
final class KilnDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;
  private final Properties file;

  KilnDefaults(Map<String, String> env) {
    this.env = env;
    this.file = load(env.get("KILN_CONFIG"));
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName().replaceFirst("^-+", "");
    String fromEnv = env.get("KILN_" + name.toUpperCase().replace('-', '_'));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    String fromFile = file.getProperty(name);
    return fromFile != null ? fromFile.trim() : arg.defaultValue();
  }

  private static Properties load(String path) {
    Properties p = new Properties();
    if (path == null || path.isBlank()) {
      return p;
    }
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read KILN_CONFIG " + path, e);
    }
    return p;
  }
}
