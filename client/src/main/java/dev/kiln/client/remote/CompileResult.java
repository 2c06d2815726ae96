package dev.kiln.client.remote;

import dev.kiln.proto.goma.ExecResp;

/**
 * How a remote compile ended, as the build tool must see it: exit status and the two streams, and
 * where the result came from (NO_CACHE: compiled now; STORAGE_CACHE: the farm's action cache;
 * LOCAL_OUTPUT_CACHE: this machine's).
 */
public record CompileResult(int exitStatus, byte[] stdout, byte[] stderr, ExecResp.CacheSource source) {
  public boolean cacheHit() {
    return source != ExecResp.CacheSource.NO_CACHE;
  }
}
