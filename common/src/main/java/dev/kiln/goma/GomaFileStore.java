package dev.kiln.goma;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Goma's file service store: serialized {@code FileBlob}s by hash key (lowercase hex SHA-256 of the
 * serialized blob). It holds what Goma clients upload with {@code /s} (whole files, chunks, chunk
 * lists) and what {@code /l} hands back.
 */
public interface GomaFileStore {
  CompletionStage<Optional<byte[]>> get(String hashKey);

  CompletionStage<Void> put(String hashKey, byte[] serializedBlob);
}
