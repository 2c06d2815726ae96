package dev.kiln.scheduler.records;

import build.bazel.remote.execution.v2.RequestMetadata;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.RequesterInfo;
import dev.kiln.scheduler.auth.Authenticator;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import java.util.Base64;
import java.util.List;

/**
 * Reads a {@link Requester} from what a request carries: the Authorization header (the token's
 * user), REAPI's {@code RequestMetadata} header, Goma's {@code requester_info}, and the client's
 * address when nothing better names the user. A malformed metadata header is ignored (it only
 * labels the record).
 */
public final class Requesters {
  /** REAPI's binary metadata header (base64, as gRPC sends {@code -bin} headers). */
  public static final String METADATA_HEADER = "build.bazel.remote.execution.v2.requestmetadata-bin";
  private static final List<String> SOURCE_SUFFIXES = List.of(".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".m", ".mm", ".S", ".s");

  private final Authenticator auth;

  public Requesters(Authenticator auth) {
    this.auth = auth;
  }

  /** A REAPI call's requester. */
  public Requester reapi(MultiMap headers, HttpConnection connection) {
    RequestMetadata meta = metadata(headers.get(METADATA_HEADER));
    String tool = meta.getToolDetails().getToolName().isEmpty() ? ""
        : (meta.getToolDetails().getToolName() + " " + meta.getToolDetails().getToolVersion()).strip();
    String label = (meta.getActionMnemonic() + " " + meta.getTargetId()).strip();
    String address = connection == null || connection.remoteAddress() == null ? "" : connection.remoteAddress().hostAddress();
    return new Requester(auth.user(headers.get("authorization")).orElse(address), meta.getToolInvocationId(), tool, label, "reapi");
  }

  /** A Goma /e's requester. */
  public Requester goma(ExecReq req, String authorization, String clientAddress) {
    RequesterInfo info = req.getRequesterInfo();
    String user = auth.user(authorization).orElse(info.getUsername().isEmpty() ? clientAddress : info.getUsername());
    String proxy = info.getCompilerProxyId();
    String tool = proxy.contains("/") ? proxy.substring(0, proxy.indexOf('/')) : proxy;
    String label = (req.getCommandSpec().getName() + " " + source(req.getArgList())).strip();
    return new Requester(user, info.getBuildId(), tool, label, "goma");
  }

  static RequestMetadata metadata(String header) {
    if (header == null || header.isEmpty()) {
      return RequestMetadata.getDefaultInstance();
    }
    try {
      return RequestMetadata.parseFrom(Base64.getDecoder().decode(header.strip()));
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      return RequestMetadata.getDefaultInstance();
    }
  }

  /** The compile's source file among its arguments (the first that looks like one), or "". */
  static String source(List<String> args) {
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("-") && !"-o".equals(args.get(i - 1)) && SOURCE_SUFFIXES.stream().anyMatch(a::endsWith)) {
        return a;
      }
    }
    return "";
  }
}
