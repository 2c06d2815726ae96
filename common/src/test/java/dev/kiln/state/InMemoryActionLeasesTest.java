package dev.kiln.state;

class InMemoryActionLeasesTest extends ActionLeasesContract {
  private final InMemoryActionLeases leases = new InMemoryActionLeases();

  @Override
  protected ActionLeases leases() {
    return leases;
  }
}
