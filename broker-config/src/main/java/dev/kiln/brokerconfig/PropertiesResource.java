package dev.kiln.brokerconfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Loads a properties file shipped in this module's resources. */
final class PropertiesResource {
  private PropertiesResource() {}

  static Properties load(String resource) {
    Properties props = new Properties();
    try (InputStream in = PropertiesResource.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read " + resource, e);
    }
    return props;
  }

  static String require(Properties props, String key) {
    String value = props.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("missing key " + key);
    }
    return value.trim();
  }
}
