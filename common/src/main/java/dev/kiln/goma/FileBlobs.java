package dev.kiln.goma;

import dev.kiln.common.FarmException;
import dev.kiln.common.Hashing;
import dev.kiln.proto.goma.FileBlob;

/**
 * Goma's FileBlob rules (goma-protocol.md §1.8, §2.2): the hash key of a blob is the SHA-256 of
 * its serialization, files over 2 MiB travel as FILE_CHUNKs listed by a FILE_META, and each blob
 * type has exactly the fields the client checks for.
 */
public final class FileBlobs {
  /** Files above this size are split into chunks of this size. */
  public static final int CHUNK_SIZE = 2 * 1024 * 1024;

  private FileBlobs() {}

  /** A file's content as a client sends it: one FILE, or a FILE_META over the FILE_CHUNKs it lists. */
  public record Split(FileBlob top, java.util.List<FileBlob> chunks) {}

  /**
   * Splits {@code content} the client's way: up to 2 MiB one FILE; above, FILE_CHUNKs of 2 MiB
   * (offset set, file_size = the chunk's own size) listed by a FILE_META (file_size = the total).
   */
  public static Split split(byte[] content) {
    if (content.length <= CHUNK_SIZE) {
      return new Split(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE).setFileSize(content.length)
          .setContent(com.google.protobuf.ByteString.copyFrom(content)).build(), java.util.List.of());
    }
    java.util.List<FileBlob> chunks = new java.util.ArrayList<>();
    FileBlob.Builder meta = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META).setFileSize(content.length);
    for (int off = 0; off < content.length; off += CHUNK_SIZE) {
      int n = Math.min(CHUNK_SIZE, content.length - off);
      FileBlob chunk = FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_CHUNK).setOffset(off).setFileSize(n)
          .setContent(com.google.protobuf.ByteString.copyFrom(content, off, n)).build();
      chunks.add(chunk);
      meta.addHashKey(hashKey(chunk));
    }
    return new Split(meta.build(), java.util.List.copyOf(chunks));
  }

  /** The hash key: lowercase hex SHA-256 of the serialized blob (proto2: set fields, by number). */
  public static String hashKey(FileBlob blob) {
    return Hashing.sha256Hex(blob.toByteArray());
  }

  /** INVALID_ARGUMENT unless {@code blob} is well-formed for its type. */
  public static void checkWellFormed(FileBlob blob) {
    if (!blob.hasFileSize() || blob.getFileSize() < 0) {
      throw FarmException.invalidArgument("FileBlob needs file_size >= 0");
    }
    switch (blob.getBlobType()) {
      case FILE -> {
        require(!blob.hasOffset() && blob.hasContent() && blob.getHashKeyCount() == 0, "FILE has content and no offset or hash keys");
        require(blob.getContent().size() == blob.getFileSize(), "FILE content has " + blob.getContent().size() + " bytes, file_size says " + blob.getFileSize());
      }
      case FILE_CHUNK -> require(blob.hasOffset() && blob.getOffset() >= 0 && blob.hasContent() && blob.getHashKeyCount() == 0,
          "FILE_CHUNK has an offset and content and no hash keys");
      case FILE_META -> require(!blob.hasOffset() && !blob.hasContent() && blob.getHashKeyCount() > 1,
          "FILE_META has more than one hash key and no content or offset");
      case FILE_REF -> require(!blob.hasOffset() && !blob.hasContent() && blob.getHashKeyCount() == 1,
          "FILE_REF has exactly one hash key and no content or offset");
      default -> throw FarmException.invalidArgument("FileBlob type %s cannot be stored", blob.getBlobType());
    }
  }

  /**
   * INVALID_ARGUMENT unless {@code chunks} (in the FILE_META's order) tile the file exactly:
   * contiguous offsets from 0, chunk sizes adding up to {@code meta.file_size}.
   */
  public static void checkChunksAddUp(FileBlob meta, java.util.List<FileBlob> chunks) {
    long expectedOffset = 0;
    for (FileBlob c : chunks) {
      require(c.getBlobType() == FileBlob.BlobType.FILE_CHUNK, "FILE_META lists a " + c.getBlobType() + ", not a FILE_CHUNK");
      require(c.getOffset() == expectedOffset, "chunk at offset " + c.getOffset() + ", expected " + expectedOffset);
      expectedOffset += c.getContent().size();
    }
    require(expectedOffset == meta.getFileSize(), "chunks add up to " + expectedOffset + " bytes, FILE_META says " + meta.getFileSize());
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw FarmException.invalidArgument("malformed FileBlob: %s", what);
    }
  }
}
