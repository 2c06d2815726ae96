package dev.kiln.scheduler.auth;

/** What a request may do. */
public enum Access {
  /** Everything: execute, read and write the caches. */
  FULL,
  /** Read cached results and blobs only: nothing is executed or stored. */
  CACHE_ONLY,
  /** A token was presented and is not valid (or its user is not allowed). */
  DENIED
}
