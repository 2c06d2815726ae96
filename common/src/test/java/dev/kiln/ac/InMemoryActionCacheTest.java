package dev.kiln.ac;

class InMemoryActionCacheTest extends ActionCacheContract {
  private final InMemoryActionCache cache = new InMemoryActionCache();

  @Override
  protected ActionCache cache() {
    return cache;
  }
}
