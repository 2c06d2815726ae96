package dev.kiln.ac;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Action-cache entries whose content Kiln does not interpret: what HTTP cache clients PUT under
 * {@code /ac/} (ccache stores its own serialized results there, not ActionResults). Same keys as
 * the typed {@link ActionCache}, kept apart so a gRPC client never receives a ccache entry.
 */
public interface OpaqueActionCache {
  CompletionStage<Optional<byte[]>> get(ActionKey key);

  CompletionStage<Void> put(ActionKey key, byte[] value);

  CompletionStage<Void> delete(ActionKey key);
}
