package dev.kiln.client.remote;

/** How a remote compile ended, as the build tool must see it: exit status and the two streams. */
public record CompileResult(int exitStatus, byte[] stdout, byte[] stderr, boolean cacheHit) {}
