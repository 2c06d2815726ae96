package dev.kiln.client.remote;

import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import java.io.IOException;

/**
 * One Goma /e round trip as kiln-cc needs it: the answer's outputs always carry their content
 * inline (FILE blobs), whatever form the farm sent them in. {@code normalized} is the request as
 * its result depends on it (the compiler type's normalization), for caches keyed by it.
 */
public interface GomaExec {
  ExecResp exec(ExecReq req, ExecReq normalized) throws IOException, InterruptedException;

  /**
   * Stores blobs in the farm's file service (/s): the FILE_CHUNKs of a file over 2 MiB, before a
   * request embeds its FILE_META. Farms that cannot store say so with an IOException.
   */
  default void store(java.util.List<dev.kiln.proto.goma.FileBlob> blobs) throws IOException, InterruptedException {
    throw new IOException("this farm connection cannot store file chunks");
  }
}
