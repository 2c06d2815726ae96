package dev.kiln.scheduler.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import org.junit.jupiter.api.Test;

class ResourceNameTest {
  private final Digest d = Digest.of(new byte[] {1, 2, 3});
  private final String h = d.hash();

  private static void refusedByBoth(String name) {
    assertThatThrownBy(() -> ResourceName.parseRead(name)).as("read " + name)
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> ResourceName.parseWrite(name)).as("write " + name)
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void readNamesParseFromTheLeftWithAnyInstance() {
    assertThat(ResourceName.parseRead("blobs/" + h + "/3")).isEqualTo(new ResourceName("", null, d));
    assertThat(ResourceName.parseRead("/blobs/" + h + "/3").instance()).isEmpty();
    assertThat(ResourceName.parseRead("projects/p/instances/i/blobs/" + h + "/3").instance()).isEqualTo("projects/p/instances/i");
    assertThat(ResourceName.parseRead("blobs/" + h + "/3/trailing").digest()).isEqualTo(d);
  }

  @Test
  void writeNamesCarryTheUploadIdAndMayHaveTrailingMetadata() {
    ResourceName r = ResourceName.parseWrite("main/uploads/u-1/blobs/" + h + "/3/some/metadata");
    assertThat(r).isEqualTo(new ResourceName("main", "u-1", d));
    assertThat(ResourceName.parseWrite("uploads/u-2/blobs/" + h + "/3")).isEqualTo(new ResourceName("", "u-2", d));
    assertThat(ResourceName.parseWrite("/a/b/uploads/u/blobs/" + h + "/3").instance()).isEqualTo("a/b");
  }

  @Test
  void instancesAreNormalizedLikeEveryOtherEndpoints() {
    assertThat(ResourceName.parseRead("x//blobs/" + h + "/3").instance()).isEqualTo("x");
    assertThat(ResourceName.parseWrite("x/uploads/u/blobs/" + h + "/3").instance())
        .isEqualTo(ResourceName.parseRead("/x/blobs/" + h + "/3").instance());
  }

  @Test
  void aReadNameIsNotAWriteNameNorTheOtherWayRound() {
    assertThatThrownBy(() -> ResourceName.parseWrite("blobs/" + h + "/3")).isInstanceOf(FarmException.class);
    assertThatThrownBy(() -> ResourceName.parseRead("uploads/u/blobs/" + h)).isInstanceOf(FarmException.class);
  }

  @Test
  void malformedCompressedOrHostileNamesAreInvalidArgumentForBothParsers() {
    String[] bad = {
        "", "nothing", "/", "blobs", "uploads", "blobs/" + h, "uploads/u/blobs/" + h,
        "blobs/xyz/3", "uploads/u/blobs/xyz/3",
        "blobs/" + h + "/x", "uploads/u/blobs/" + h + "/x",
        "blobs/" + h + "/-3", "uploads/u/blobs/" + h + "/-3",
        "blobs/" + h + "/99999999999999999999999", "uploads/u/blobs/" + h + "/99999999999999999999999",
        "blobs/" + h + "/", "uploads/u/blobs/" + h + "/", "blobs//3", "uploads/u/blobs//3",
        "blobs/" + h.toUpperCase() + "/3", "uploads/u/blobs/" + h.toUpperCase() + "/3",
        "compressed-blobs/deflate/" + h + "/3", "uploads/u/compressed-blobs/deflate/" + h + "/3",
        "compressed-blobs/zstd/" + h, "uploads/u/compressed-blobs/zstd/" + h, "compressed-blobs/" + h + "/3",
        "compressed-blobs/zstd/xyz/3", "uploads/u/compressed-blobs/zstd/" + h + "/-3",
        "x\0/blobs/" + h + "/3", "x/uploads/u\0/blobs/" + h + "/3", "blobs/" + h + "/3\0",
        "../blobs/" + h + "/3", "a/../uploads/u/blobs/" + h + "/3", "./blobs/" + h + "/3",
    };
    for (String name : bad) {
      refusedByBoth(name);
    }
  }

  @Test
  void zstdCompressedNamesCarryTheUncompressedDigest() {
    assertThat(ResourceName.parseRead("i/compressed-blobs/zstd/" + h + "/3"))
        .isEqualTo(new ResourceName("i", null, d, build.bazel.remote.execution.v2.Compressor.Value.ZSTD));
    ResourceName w = ResourceName.parseWrite("/a/b/uploads/u-1/compressed-blobs/zstd/" + h + "/3/meta");
    assertThat(w).isEqualTo(new ResourceName("a/b", "u-1", d, build.bazel.remote.execution.v2.Compressor.Value.ZSTD));
    assertThat(w.compressed()).isTrue();
    assertThat(ResourceName.parseRead("blobs/" + h + "/3").compressed()).isFalse();
    assertThatThrownBy(() -> ResourceName.parseRead("compressed-blobs/brotli/" + h + "/3")).hasMessageContaining("'brotli'");
  }

  @Test
  void hugeButWellFormedSizesParseSoTheEndpointCanRefuseThemByItsLimit() {
    assertThat(ResourceName.parseWrite("uploads/u/blobs/" + h + "/" + Long.MAX_VALUE).digest().size()).isEqualTo(Long.MAX_VALUE);
  }
}
