package dev.kiln.cas;

class InMemoryBlobStoreTest extends BlobStoreContract {
  private final InMemoryBlobStore store = new InMemoryBlobStore();

  @Override
  protected BlobStore store() {
    return store;
  }
}
