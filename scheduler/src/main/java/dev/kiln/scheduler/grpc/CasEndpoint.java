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
import dev.kiln.common.InstanceNames;
import dev.kiln.scheduler.Blocking;
import dev.kiln.scheduler.exec.DigestFunctions;
import dev.kiln.tree.TreeFetcher;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * FindMissingBlobs, BatchUpdateBlobs, BatchReadBlobs and GetTree over the verifying CAS. Requests
 * are bounded before any work: digests per FindMissingBlobs, blobs per batch and bytes per batch
 * (INVALID_ARGUMENT naming the limit, as REAPI says for batches); a GetTree page_size over the
 * bound is lowered to it (REAPI lets the server return fewer items per page). Batches may carry
 * ZSTD data (decoded off the event loop, never past the digest's size, verified and stored
 * uncompressed) and BatchReadBlobs answers in ZSTD when the client accepts it; any other
 * compressor is INVALID_ARGUMENT for that blob.
 */
public final class CasEndpoint {
  private final BlobStore cas;
  private final Blocking blocking;
  private final long maxBatchBytes;
  private final int maxFindMissing;
  private final int maxBatchBlobs;
  private final int maxTreePage;

  public CasEndpoint(BlobStore cas, Blocking blocking, long maxBatchBytes, int maxFindMissing, int maxBatchBlobs, int maxTreePage) {
    this.cas = cas;
    this.blocking = blocking;
    this.maxBatchBytes = maxBatchBytes;
    this.maxFindMissing = maxFindMissing;
    this.maxBatchBlobs = maxBatchBlobs;
    this.maxTreePage = maxTreePage;
  }

  public void bind(GrpcBindings grpc) {
    grpc.unary(ContentAddressableStorageGrpcService.FindMissingBlobs, this::findMissing);
    grpc.unary(ContentAddressableStorageGrpcService.BatchUpdateBlobs, this::batchUpdate);
    grpc.unary(ContentAddressableStorageGrpcService.BatchReadBlobs, this::batchRead);
    grpc.server().callHandler(ContentAddressableStorageGrpcService.GetTree, call -> grpc.messages(call, ContentAddressableStorageGrpcService.GetTree, req -> Blocking.attempt(() -> getTree(req)).onComplete(ar -> {
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
    InstanceNames.normalize(req.getInstanceName());
    if (req.getBlobDigestsCount() > maxFindMissing) {
      throw FarmException.invalidArgument("FindMissingBlobs asks about %d digests, over the server's limit of %d; split the request",
          req.getBlobDigestsCount(), maxFindMissing);
    }
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
    InstanceNames.normalize(req.getInstanceName());
    checkCount(req.getRequestsCount());
    // a compressed entry counts the larger of its data and the size it declares decoded, so the
    // bytes a batch makes the node hold stay within the limit however well its data compresses
    long total = req.getRequestsList().stream()
        .mapToLong(r -> r.getCompressor() == Compressor.Value.IDENTITY ? r.getData().size() : Math.max(r.getData().size(), r.getDigest().getSizeBytes()))
        .sum();
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
    Future<Void> stored = Blocking.attempt(() -> {
      ZstdCodec.checkSupported(r.getCompressor());
      Digest digest = Digest.fromProto(r.getDigest());
      if (r.getCompressor() == Compressor.Value.IDENTITY) {
        return blocking.runAsync(() -> cas.put(digest, r.getData().toByteArray()));
      }
      return blocking.run(() -> ZstdCodec.decompress(r.getData(), digest.size())).compose(data -> {
        if (data.length != digest.size()) {
          return Future.failedFuture(FarmException.invalidArgument(
              "zstd data decompresses to %d bytes, the digest declares %d", data.length, digest.size()));
        }
        return blocking.runAsync(() -> cas.put(digest, data));
      });
    });
    return stored.map(v -> out.setStatus(Status.newBuilder().setCode(Code.OK_VALUE)).build())
        .recover(e -> Future.succeededFuture(out.setStatus(FarmException.from(e).toStatus()).build()));
  }

  private Future<BatchReadBlobsResponse> batchRead(BatchReadBlobsRequest req) {
    DigestFunctions.check(req.getDigestFunction());
    InstanceNames.normalize(req.getInstanceName());
    checkCount(req.getDigestsCount());
    // the server picks among the acceptable compressors; IDENTITY is always acceptable
    boolean zstd = req.getAcceptableCompressorsList().contains(Compressor.Value.ZSTD);
    List<Digest> digests = new ArrayList<>();
    req.getDigestsList().forEach(d -> digests.add(Digest.fromProto(d)));
    long total = digests.stream().mapToLong(Digest::size).sum();
    if (total > maxBatchBytes) {
      throw FarmException.invalidArgument("batch asks for %d bytes, over max_batch_total_size_bytes %d; use ByteStream", total, maxBatchBytes);
    }
    List<Future<BatchReadBlobsResponse.Response>> results = new ArrayList<>();
    for (Digest d : digests) {
      results.add(Blocking.onContext(cas.get(d)).compose(blob -> {
        BatchReadBlobsResponse.Response.Builder b = BatchReadBlobsResponse.Response.newBuilder().setDigest(d.toProto());
        if (blob.isEmpty()) {
          return Future.succeededFuture(b.setStatus(Status.newBuilder().setCode(Code.NOT_FOUND_VALUE).setMessage("blob " + d + " is not in the CAS")).build());
        }
        b.setStatus(Status.newBuilder().setCode(Code.OK_VALUE));
        if (!zstd) {
          return Future.succeededFuture(b.setData(ByteString.copyFrom(blob.get())).build());
        }
        return blocking.run(() -> ZstdCodec.compress(blob.get(), 0))
            .map(z -> b.setCompressor(Compressor.Value.ZSTD).setData(ByteString.copyFrom(z)).build());
      }));
    }
    return Future.all(results).map(all -> BatchReadBlobsResponse.newBuilder().addAllResponses(all.list()).build());
  }

  private void checkCount(int blobs) {
    if (blobs > maxBatchBlobs) {
      throw FarmException.invalidArgument("batch holds %d blobs, over the server's limit of %d; split it or use ByteStream", blobs, maxBatchBlobs);
    }
  }

  private Future<List<GetTreeResponse>> getTree(GetTreeRequest req) {
    DigestFunctions.check(req.getDigestFunction());
    InstanceNames.normalize(req.getInstanceName());
    Digest root = Digest.fromProto(req.getRootDigest());
    if (req.getPageSize() < 0) {
      throw FarmException.invalidArgument("negative page_size %d", req.getPageSize());
    }
    int pageSize = Math.min(maxTreePage, req.getPageSize() > 0 ? req.getPageSize() : 1000);
    int start = req.getPageToken().isEmpty() ? 0 : parseToken(req.getPageToken());
    return Blocking.onContext(cas.findMissing(List.of(root))).compose(missing -> {
      if (!missing.isEmpty()) {
        return Future.failedFuture(FarmException.notFound("root directory %s is not in the CAS", root));
      }
      return Blocking.onContext(new TreeFetcher(cas).fetch(root));
    }).map(tree -> {
      List<build.bazel.remote.execution.v2.Directory> all = new ArrayList<>(tree.directories().values());
      if (start > all.size()) {
        throw FarmException.invalidArgument("page_token '%s' was not issued by this server", req.getPageToken());
      }
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
      int start = Integer.parseInt(token);
      if (start < 0) {
        throw new NumberFormatException();
      }
      return start;
    } catch (NumberFormatException e) {
      throw FarmException.invalidArgument("page_token '%s' was not issued by this server", token);
    }
  }
}
