package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
  @TempDir Path tmp;

  @Test
  void offByDefault() {
    assertThat(Authenticator.open().access(null)).isEqualTo(Access.FULL);
    assertThat(Authenticator.open().access("Bearer anything")).isEqualTo(Access.FULL);
  }

  @Test
  void tokensUsersAndAnonymousAccess() throws Exception {
    Path file = Files.writeString(tmp.resolve("tokens"), "# token user\ns3cret alice\nother-token bob\n");
    Authenticator auth = Authenticator.fromFile(file, Set.of("alice"), Access.CACHE_ONLY);
    assertThat(auth.access("Bearer s3cret")).isEqualTo(Access.FULL);
    assertThat(auth.access("s3cret")).isEqualTo(Access.FULL);
    assertThat(auth.access("Bearer other-token")).isEqualTo(Access.DENIED);
    assertThat(auth.access("Bearer wrong")).isEqualTo(Access.DENIED);
    assertThat(auth.access(null)).isEqualTo(Access.CACHE_ONLY);
    assertThat(Authenticator.fromFile(file, Set.of(), Access.DENIED).access(null)).isEqualTo(Access.DENIED);
  }
}
