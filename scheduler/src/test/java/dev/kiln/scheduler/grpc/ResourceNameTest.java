package dev.kiln.scheduler.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import org.junit.jupiter.api.Test;

class ResourceNameTest {
  private final Digest d = Digest.of(new byte[] {1, 2, 3});

  @Test
  void readNamesParseFromTheLeftWithAnyInstance() {
    assertThat(ResourceName.parseRead("blobs/" + d.hash() + "/3")).isEqualTo(new ResourceName("", null, d));
    assertThat(ResourceName.parseRead("/blobs/" + d.hash() + "/3").instance()).isEmpty();
    assertThat(ResourceName.parseRead("projects/p/instances/i/blobs/" + d.hash() + "/3").instance()).isEqualTo("projects/p/instances/i");
  }

  @Test
  void writeNamesCarryTheUploadIdAndMayHaveTrailingMetadata() {
    ResourceName r = ResourceName.parseWrite("main/uploads/u-1/blobs/" + d.hash() + "/3/some/metadata");
    assertThat(r.instance()).isEqualTo("main");
    assertThat(r.uploadId()).isEqualTo("u-1");
    assertThat(r.digest()).isEqualTo(d);
  }

  @Test
  void malformedOrCompressedNamesAreInvalidArgument() {
    for (String bad : new String[] {"blobs/xyz/3", "blobs/" + d.hash(), "uploads/u/blobs/" + d.hash() + "/x",
        "compressed-blobs/zstd/" + d.hash() + "/3", "nothing"}) {
      assertThatThrownBy(() -> {
        ResourceName.parseRead(bad);
        ResourceName.parseWrite(bad);
      }).isInstanceOf(FarmException.class);
    }
  }
}
