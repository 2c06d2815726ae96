package dev.kiln.ac;

class InMemoryOpaqueActionCacheTest extends OpaqueActionCacheContract {
  private final InMemoryOpaqueActionCache cache = new InMemoryOpaqueActionCache();

  @Override
  protected OpaqueActionCache cache() {
    return cache;
  }
}
