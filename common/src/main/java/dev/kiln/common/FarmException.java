package dev.kiln.common;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Kiln's one error type: a gRPC status code, a message that each layer may prefix with context
 * ("Failed to ...: cause"), and optional typed details. Protocol adapters map it to the wire
 * (gRPC status and trailers, HTTP status, Goma error fields); nothing else knows wire formats.
 */
public final class FarmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Code code;
  private final transient List<Any> details;

  public FarmException(Code code, String message, List<Any> details, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.details = List.copyOf(details);
  }

  public FarmException(Code code, String message) {
    this(code, message, List.of(), null);
  }

  public Code code() {
    return code;
  }

  public List<Any> details() {
    return details;
  }

  /** The google.rpc.Status carried by this error. */
  public Status toStatus() {
    return Status.newBuilder().setCode(code.getNumber()).setMessage(String.valueOf(getMessage())).addAllDetails(details).build();
  }

  /** Caller errors are never retried; the rest are infrastructure trouble. */
  public boolean isInfrastructureError() {
    return code == Code.UNAVAILABLE || code == Code.INTERNAL || code == Code.UNKNOWN
        || code == Code.DEADLINE_EXCEEDED || code == Code.RESOURCE_EXHAUSTED || code == Code.ABORTED;
  }

  public static FarmException of(Code code, String format, Object... args) {
    return new FarmException(code, args.length == 0 ? format : String.format(format, args));
  }

  public static FarmException invalidArgument(String format, Object... args) {
    return of(Code.INVALID_ARGUMENT, format, args);
  }

  public static FarmException notFound(String format, Object... args) {
    return of(Code.NOT_FOUND, format, args);
  }

  public static FarmException failedPrecondition(String format, Object... args) {
    return of(Code.FAILED_PRECONDITION, format, args);
  }

  public static FarmException internal(String format, Object... args) {
    return of(Code.INTERNAL, format, args);
  }

  public static FarmException unavailable(String format, Object... args) {
    return of(Code.UNAVAILABLE, format, args);
  }

  /**
   * FAILED_PRECONDITION whose only detail is a PreconditionFailure with one MISSING violation
   * per blob, subject {@code blobs/{hash}/{size}}: the form that makes Bazel re-upload and retry.
   */
  public static FarmException missingBlobs(Collection<Digest> missing) {
    PreconditionFailure.Builder failure = PreconditionFailure.newBuilder();
    for (Digest d : missing) {
      failure.addViolations(PreconditionFailure.Violation.newBuilder()
          .setType("MISSING").setSubject("blobs/" + d.key()).setDescription("blob is not in the CAS"));
    }
    List<Any> details = new ArrayList<>();
    details.add(Any.pack(failure.build()));
    return new FarmException(Code.FAILED_PRECONDITION,
        missing.size() + " input blob(s) missing from the CAS, e.g. " + missing.iterator().next(), details, null);
  }

  /** Unwraps async wrappers and turns anything into a FarmException, keeping a known code. */
  public static FarmException from(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof FarmException fe) {
      return fe;
    }
    return new FarmException(Code.INTERNAL, cause.getClass().getSimpleName() + ": " + cause.getMessage(), List.of(), cause);
  }

  /** Adds context, keeping the code and details: "Failed to read X: cause". */
  public static FarmException wrap(Throwable t, String format, Object... args) {
    FarmException inner = from(t);
    String context = args.length == 0 ? format : String.format(format, args);
    return new FarmException(inner.code, context + ": " + inner.getMessage(), inner.details, inner);
  }
}
