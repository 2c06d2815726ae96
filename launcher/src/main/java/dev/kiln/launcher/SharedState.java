package dev.kiln.launcher;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.ac.ActionCache;
import dev.kiln.ac.HazelcastActionCache;
import dev.kiln.ac.HazelcastOpaqueActionCache;
import dev.kiln.ac.OpaqueActionCache;
import dev.kiln.cas.BlobStore;
import dev.kiln.cas.HazelcastBlobStore;
import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.goma.GomaFileStore;
import dev.kiln.goma.HazelcastGomaFileStore;
import dev.kiln.state.ActionLeases;
import dev.kiln.state.HazelcastActionLeases;
import dev.kiln.state.HazelcastExecutionState;

/** The Hazelcast-backed stores every role shares: verifying CAS, action caches, execution state, leases. */
record SharedState(BlobStore cas, ActionCache actionCache, OpaqueActionCache opaqueActionCache, GomaFileStore gomaFiles,
    HazelcastExecutionState state, ActionLeases leases) {
  static SharedState on(HazelcastInstance hz, long maxBlobBytes) {
    return new SharedState(new VerifyingBlobStore(new HazelcastBlobStore(hz), maxBlobBytes), new HazelcastActionCache(hz),
        new HazelcastOpaqueActionCache(hz), new HazelcastGomaFileStore(hz), new HazelcastExecutionState(hz), new HazelcastActionLeases(hz));
  }
}
