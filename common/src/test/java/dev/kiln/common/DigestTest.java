package dev.kiln.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import com.google.rpc.PreconditionFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestTest {
  @Test
  void emptyDigestIsTheKnownSha256() {
    assertThat(Digest.EMPTY.hash()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Digest.EMPTY.size()).isZero();
  }

  @Test
  void malformedHashesAreInvalidArgument() {
    for (String bad : List.of("", "abc", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", "zz" + "0".repeat(62))) {
      assertThatThrownBy(() -> new Digest(bad, 1))
          .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    }
    assertThatThrownBy(() -> new Digest(Digest.EMPTY.hash(), -1)).isInstanceOf(FarmException.class);
  }

  @Test
  void keyRoundTrips() {
    Digest d = Digest.of(new byte[] {1, 2, 3});
    assertThat(Digest.fromKey(d.key())).isEqualTo(d);
  }

  @Test
  void missingBlobsCarryOnlyAPreconditionFailure() throws Exception {
    Digest d = Digest.of(new byte[] {9});
    FarmException e = FarmException.missingBlobs(List.of(d));
    assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(e.details()).hasSize(1);
    PreconditionFailure f = e.details().get(0).unpack(PreconditionFailure.class);
    assertThat(f.getViolations(0).getType()).isEqualTo("MISSING");
    assertThat(f.getViolations(0).getSubject()).isEqualTo("blobs/" + d.hash() + "/1");
  }
}
