package dev.kiln.goma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.kiln.common.FarmException;
import dev.kiln.common.Hashing;
import dev.kiln.proto.goma.FileBlob;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileBlobsTest {
  private static FileBlob file(String s) {
    return FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(s.length()).setContent(ByteString.copyFromUtf8(s)).build();
  }

  private static FileBlob chunk(long offset, int size) {
    return FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_CHUNK).setOffset(offset).setFileSize(size)
        .setContent(ByteString.copyFrom(new byte[size])).build();
  }

  @Test
  void hashKeyIsTheSha256OfTheSerializedBlobWithFieldPresence() {
    FileBlob empty = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(0).setContent(ByteString.EMPTY).build();
    assertThat(FileBlobs.hashKey(empty)).isEqualTo(Hashing.sha256Hex(empty.toByteArray()));
    FileBlob noContent = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(0).build();
    assertThat(FileBlobs.hashKey(empty)).isNotEqualTo(FileBlobs.hashKey(noContent));
  }

  @Test
  void eachTypeHasExactlyItsFields() {
    FileBlobs.checkWellFormed(file("abc"));
    FileBlobs.checkWellFormed(chunk(0, 10));
    FileBlobs.checkWellFormed(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(20).addHashKey("a").addHashKey("b").build());
    for (FileBlob bad : List.of(
        file("abc").toBuilder().setFileSize(4).build(),
        file("abc").toBuilder().setOffset(0).build(),
        FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(0).build(),
        FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(20).addHashKey("only-one").build(),
        FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_UNSPECIFIED).setFileSize(0).build())) {
      assertThatThrownBy(() -> FileBlobs.checkWellFormed(bad)).isInstanceOf(FarmException.class);
    }
  }

  @Test
  void chunksMustTileTheFileExactly() {
    FileBlob meta = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(30).addHashKey("a").addHashKey("b").build();
    FileBlobs.checkChunksAddUp(meta, List.of(chunk(0, 20), chunk(20, 10)));
    assertThatThrownBy(() -> FileBlobs.checkChunksAddUp(meta, List.of(chunk(0, 20), chunk(20, 9)))).isInstanceOf(FarmException.class);
    assertThatThrownBy(() -> FileBlobs.checkChunksAddUp(meta, List.of(chunk(0, 20), chunk(21, 10)))).isInstanceOf(FarmException.class);
    assertThatThrownBy(() -> FileBlobs.checkChunksAddUp(meta, List.of(chunk(20, 10), chunk(0, 20)))).isInstanceOf(FarmException.class);
  }

  @Test
  void upToTwoMebibytesIsOneFileAboveThatChunksListedByAMeta() {
    byte[] small = new byte[FileBlobs.CHUNK_SIZE];
    FileBlobs.Split one = FileBlobs.split(small);
    assertThat(one.top().getBlobType()).isEqualTo(FileBlob.BlobType.FILE);
    assertThat(one.chunks()).isEmpty();
    FileBlobs.checkWellFormed(one.top());

    byte[] big = new byte[5 * 1024 * 1024 + 7];
    big[big.length - 1] = 42;
    FileBlobs.Split split = FileBlobs.split(big);
    FileBlob meta = split.top();
    assertThat(meta.getBlobType()).isEqualTo(FileBlob.BlobType.FILE_META);
    assertThat(meta.getFileSize()).isEqualTo(big.length);
    assertThat(split.chunks()).hasSize(3);
    assertThat(split.chunks()).extracting(FileBlob::getOffset).containsExactly(0L, (long) FileBlobs.CHUNK_SIZE, 2L * FileBlobs.CHUNK_SIZE);
    assertThat(split.chunks()).allSatisfy(c -> assertThat(c.getFileSize()).isEqualTo(c.getContent().size()));
    assertThat(meta.getHashKeyList()).containsExactlyElementsOf(split.chunks().stream().map(FileBlobs::hashKey).toList());
    FileBlobs.checkWellFormed(meta);
    split.chunks().forEach(FileBlobs::checkWellFormed);
    FileBlobs.checkChunksAddUp(meta, split.chunks());
  }
}
