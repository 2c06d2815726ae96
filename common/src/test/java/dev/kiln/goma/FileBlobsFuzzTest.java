package dev.kiln.goma;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.common.FarmException;
import dev.kiln.proto.goma.FileBlob;

/**
 * FileBlob bytes as a Goma client sends them to /s (and inside /e): parsing and
 * {@link FileBlobs#checkWellFormed} either accept the blob or refuse it (the protobuf parse
 * exception, or FarmException); nothing else escapes. An accepted blob keeps its promises.
 * Seeds: src/test/resources/dev/kiln/goma/FileBlobsFuzzTestInputs/fileBlob/.
 */
class FileBlobsFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void fileBlob(byte[] data) {
    FileBlob blob;
    try {
      blob = FileBlob.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    try {
      FileBlobs.checkWellFormed(blob);
    } catch (FarmException e) {
      assertThat(e.code()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT);
      return;
    }
    assertThat(blob.getFileSize()).isNotNegative();
    if (blob.getBlobType() == FileBlob.BlobType.FILE) {
      assertThat((long) blob.getContent().size()).isEqualTo(blob.getFileSize());
    }
    assertThat(FileBlobs.hashKey(blob)).hasSize(64);
    try {
      FileBlobs.checkChunksAddUp(blob, java.util.List.of(blob));
    } catch (FarmException e) {
      assertThat(e.code()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT);
    }
  }
}
