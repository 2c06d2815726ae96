package dev.kiln.scheduler.grpc;

import build.bazel.remote.execution.v2.BatchReadBlobsRequest;
import build.bazel.remote.execution.v2.BatchReadBlobsResponse;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.BatchUpdateBlobsResponse;
import build.bazel.remote.execution.v2.Compressor;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpcService;
import build.bazel.remote.execution.v2.FindMissingBlobsRequest;
import build.bazel.remote.execution.v2.FindMissingBlobsResponse;
import build.bazel.remote.execution.v2.GetTreeRequest;
import build.bazel.remote.execution.v2.GetTreeResponse;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.scheduler.Blocking;
import dev.kiln.scheduler.exec.DigestFunctions;
import dev.kiln.tree.TreeFetcher;
import io.vertx.core.Future;
import io.vertx.grpc.server.GrpcServer;
import java.util.ArrayList;
import java.util.List;

/** FindMissingBlobs, BatchUpdateBlobs, BatchReadBlobs and GetTree over the verifying CAS. */
public final class CasEndpoint {
  private final BlobStore cas;
  private final Blocking blocking;
  private final long maxBatchBytes;

  public CasEndpoint(BlobStore cas, Blocking blocking, long maxBatchBytes) {
    this.cas = cas;
    this.blocking = blocking;
    this.maxBatchBytes = maxBatchBytes;
  }

  public void bind(GrpcServer server) {
    GrpcBindings.unary(server, ContentAddressableStorageGrpcService.FindMissingBlobs, this::findMissing);
    GrpcBindings.unary(server, ContentAddressableStorageGrpcService.BatchUpdateBlobs, this::batchUpdate);
    GrpcBindings.unary(server, ContentAddressableStorageGrpcService.BatchReadBlobs, this::batchRead);
    server.callHandler(ContentAddressableStorageGrpcService.GetTree, call -> GrpcBindings.messages(call, ContentAddressableStorageGrpcService.GetTree, req -> getTree(req).onComplete(ar -> {
      if (ar.failed()) {
        GrpcBindings.fail(call.response(), ar.cause());
        return;
      }
      List<GetTreeResponse> pages = ar.result();
      for (int i = 0; i < pages.size() - 1; i++) {
        call.response().write(pages.get(i));
      }
      call.response().end(pages.get(pages.size() - 1));
    })));
  }

  private Future<FindMissingBlobsResponse> findMissing(FindMissingBlobsRequest req) {
    DigestFunctions.check(req.getDigestFunction());
    List<Digest> digests = new ArrayList<>();
    req.getBlobDigestsList().forEach(d -> digests.add(Digest.fromProto(d)));
    return Blocking.onContext(cas.findMissing(digests)).map(missing -> {
      FindMissingBlobsResponse.Builder b = FindMissingBlobsResponse.newBuilder();
      missing.forEach(d -> b.addMissingBlobDigests(d.toProto()));
      return b.build();
    });
  }

  private Future<BatchUpdateBlobsResponse> batchUpdate(BatchUpdateBlobsRequest req) {
    DigestFunctions.check(req.getDigestFunction());
    long total = req.getRequestsList().stream().mapToLong(r -> r.getData().size()).sum();
    if (total > maxBatchBytes) {
      throw FarmException.invalidArgument("batch holds %d bytes, over max_batch_total_size_bytes %d; use ByteStream", total, maxBatchBytes);
    }
    List<Future<BatchUpdateBlobsResponse.Response>> results = new ArrayList<>();
    for (BatchUpdateBlobsRequest.Request r : req.getRequestsList()) {
      results.add(updateOne(r));
    }
    return Future.all(results).map(all -> BatchUpdateBlobsResponse.newBuilder().addAllResponses(all.list()).build());
  }

  private Future<BatchUpdateBlobsResponse.Response> updateOne(BatchUpdateBlobsRequest.Request r) {
    BatchUpdateBlobsResponse.Response.Builder out = BatchUpdateBlobsResponse.Response.newBuilder().setDigest(r.getDigest());
    Future<Void> stored;
    if (r.getCompressor() != Compressor.Value.IDENTITY) {
      stored = Future.failedFuture(FarmException.invalidArgument("compressor %s is not supported", r.getCompressor()));
    } else {
      stored = blocking.runAsync(() -> cas.put(Digest.fromProto(r.getDigest()), r.getData().toByteArray()));
    }
    return stored.map(v -> out.setStatus(Status.newBuilder().setCode(Code.OK_VALUE)).build())
        .recover(e -> Future.succeededFuture(out.setStatus(FarmException.from(e).toStatus()).build()));
  }

  private Future<BatchReadBlobsResponse> batchRead(BatchReadBlobsRequest req) {
    DigestFunctions.check(req.getDigestFunction());
    List<Digest> digests = new ArrayList<>();
    req.getDigestsList().forEach(d -> digests.add(Digest.fromProto(d)));
    long total = digests.stream().mapToLong(Digest::size).sum();
    if (total > maxBatchBytes) {
      throw FarmException.invalidArgument("batch asks for %d bytes, over max_batch_total_size_bytes %d; use ByteStream", total, maxBatchBytes);
    }
    List<Future<BatchReadBlobsResponse.Response>> results = new ArrayList<>();
    for (Digest d : digests) {
      results.add(Blocking.onContext(cas.get(d)).map(blob -> {
        BatchReadBlobsResponse.Response.Builder b = BatchReadBlobsResponse.Response.newBuilder().setDigest(d.toProto());
        if (blob.isPresent()) {
          b.setData(ByteString.copyFrom(blob.get())).setStatus(Status.newBuilder().setCode(Code.OK_VALUE));
        } else {
          b.setStatus(Status.newBuilder().setCode(Code.NOT_FOUND_VALUE).setMessage("blob " + d + " is not in the CAS"));
        }
        return b.build();
      }));
    }
    return Future.all(results).map(all -> BatchReadBlobsResponse.newBuilder().addAllResponses(all.list()).build());
  }

  private Future<List<GetTreeResponse>> getTree(GetTreeRequest req) {
    DigestFunctions.check(req.getDigestFunction());
    Digest root = Digest.fromProto(req.getRootDigest());
    int pageSize = req.getPageSize() > 0 ? req.getPageSize() : 1000;
    int start = req.getPageToken().isEmpty() ? 0 : parseToken(req.getPageToken());
    return Blocking.onContext(cas.findMissing(List.of(root))).compose(missing -> {
      if (!missing.isEmpty()) {
        return Future.failedFuture(FarmException.notFound("root directory %s is not in the CAS", root));
      }
      return Blocking.onContext(new TreeFetcher(cas).fetch(root));
    }).map(tree -> {
      List<build.bazel.remote.execution.v2.Directory> all = new ArrayList<>(tree.directories().values());
      List<GetTreeResponse> pages = new ArrayList<>();
      for (int i = start; i < all.size() || pages.isEmpty(); i += pageSize) {
        int end = Math.min(all.size(), i + pageSize);
        GetTreeResponse.Builder page = GetTreeResponse.newBuilder().addAllDirectories(all.subList(Math.min(i, end), end));
        if (end < all.size()) {
          page.setNextPageToken(Integer.toString(end));
        }
        pages.add(page.build());
      }
      return pages;
    });
  }

  private static int parseToken(String token) {
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      throw FarmException.invalidArgument("page_token '%s' was not issued by this server", token);
    }
  }
}
