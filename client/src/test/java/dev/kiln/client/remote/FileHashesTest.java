package dev.kiln.client.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashesTest {
  @TempDir
  Path dir;

  private final Instant now = Instant.parse("2026-11-21T12:00:00Z");
  private final FileHashes hashes = new FileHashes(Clock.fixed(now, ZoneOffset.UTC));

  private Path file(String name, String content, Instant mtime) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.from(mtime));
    return p;
  }

  @Test
  void anUnchangedFileIsHashedOnceAndAChangeIsSeen() throws Exception {
    Path p = file("a.h", "int a;\n", now.minusSeconds(60));
    FileHashes.Hashed first = hashes.hash(p);
    assertThat(first.content()).isNotNull();
    FileHashes.Hashed second = hashes.hash(p);
    assertThat(second.content()).isNull();
    assertThat(second.key()).isEqualTo(first.key()).hasSize(64);

    file("a.h", "int b;\n", now.minusSeconds(30)); // same size, new mtime
    FileHashes.Hashed third = hashes.hash(p);
    assertThat(third.content()).isNotNull();
    assertThat(third.key()).isNotEqualTo(first.key());
  }

  @Test
  void aFileModifiedJustNowIsNeverRemembered() throws Exception {
    Path p = file("new.h", "int a;\n", now.minusMillis(500));
    hashes.hash(p);
    assertThat(hashes.hash(p).content()).as("racily clean: hashed again").isNotNull();
  }
}
