package dev.kiln.client.remote;

import dev.kiln.proto.goma.ExecResp;

/**
 * How a remote compile ended, as the build tool must see it: exit status and the two streams, and
 * where the result came from (NO_CACHE: compiled now; STORAGE_CACHE: the farm's action cache;
 * LOCAL_OUTPUT_CACHE: this machine's), or that it ran here after all ({@code ranLocally}). A local
 * run that finished after the farm had failed carries that failure ({@code farmError}, else null):
 * it is a local fallback with the farm's reason, not a race the local run won.
 */
public record CompileResult(int exitStatus, byte[] stdout, byte[] stderr, ExecResp.CacheSource source, boolean ranLocally, Exception farmError) {
  public CompileResult(int exitStatus, byte[] stdout, byte[] stderr, ExecResp.CacheSource source) {
    this(exitStatus, stdout, stderr, source, false, null);
  }

  /** A compile this machine ran (race mode: the local run finished first). */
  public static CompileResult local(int exitStatus, byte[] stdout, byte[] stderr) {
    return new CompileResult(exitStatus, stdout, stderr, ExecResp.CacheSource.NO_CACHE, true, null);
  }

  /** A compile this machine ran because the farm failed with {@code farmError} (race mode). */
  public static CompileResult fallback(int exitStatus, byte[] stdout, byte[] stderr, Exception farmError) {
    return new CompileResult(exitStatus, stdout, stderr, ExecResp.CacheSource.NO_CACHE, true, farmError);
  }

  public boolean cacheHit() {
    return source != ExecResp.CacheSource.NO_CACHE;
  }
}
