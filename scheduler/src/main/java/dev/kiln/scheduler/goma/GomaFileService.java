package dev.kiln.scheduler.goma;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.goma.FileBlobs;
import dev.kiln.goma.GomaFileStore;
import dev.kiln.proto.goma.FileBlob;
import dev.kiln.proto.goma.LookupFileReq;
import dev.kiln.proto.goma.LookupFileResp;
import dev.kiln.proto.goma.StoreFileReq;
import dev.kiln.proto.goma.StoreFileResp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Goma's file service (/s and /l). StoreFile checks each blob (its type's fields, and for a
 * FILE_META that its chunks are stored and tile the file exactly), stores it under its hash key
 * and answers that key, or "" for a blob it refused. LookupFile answers one blob per key, a
 * FILE_UNSPECIFIED blob for an unknown key.
 */
public final class GomaFileService {
  private final GomaFileStore store;

  public GomaFileService(GomaFileStore store) {
    this.store = store;
  }

  public CompletionStage<StoreFileResp> store(StoreFileReq req) {
    List<CompletionStage<String>> keys = new ArrayList<>();
    for (FileBlob blob : req.getBlobList()) {
      keys.add(storeOne(blob).exceptionally(e -> ""));
    }
    return Futures.all(keys).thenApply(all -> {
      if (all.size() == 1 && all.get(0).isEmpty()) {
        throw FarmException.invalidArgument("the only blob of the request is malformed or incomplete");
      }
      return StoreFileResp.newBuilder().addAllHashKey(all).build();
    });
  }

  /** Stores one checked blob; fails with INVALID_ARGUMENT for a blob it refuses. */
  public CompletionStage<String> storeOne(FileBlob blob) {
    return Futures.attempt(() -> {
      FileBlobs.checkWellFormed(blob);
      CompletionStage<Void> checked = blob.getBlobType() == FileBlob.BlobType.FILE_META
          ? chunksOf(blob).thenAccept(chunks -> FileBlobs.checkChunksAddUp(blob, chunks))
          : CompletableFuture.completedFuture(null);
      String key = FileBlobs.hashKey(blob);
      return checked.thenCompose(v -> store.put(key, blob.toByteArray())).thenApply(v -> key);
    });
  }

  public CompletionStage<LookupFileResp> lookup(LookupFileReq req) {
    List<CompletionStage<FileBlob>> blobs = new ArrayList<>();
    for (String key : req.getHashKeyList()) {
      blobs.add(find(key).thenApply(b -> b.orElse(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_UNSPECIFIED).build())));
    }
    return Futures.all(blobs).thenApply(all -> LookupFileResp.newBuilder().addAllBlob(all).build());
  }

  /** The stored blob with this hash key, if any. */
  public CompletionStage<Optional<FileBlob>> find(String key) {
    return store.get(key).thenApply(bytes -> bytes.map(GomaFileService::parse));
  }

  private CompletionStage<List<FileBlob>> chunksOf(FileBlob meta) {
    List<CompletionStage<FileBlob>> chunks = new ArrayList<>();
    for (String key : meta.getHashKeyList()) {
      chunks.add(find(key).thenApply(c -> c.orElseThrow(() -> FarmException.invalidArgument("FILE_META lists chunk %s, which is not stored", key))));
    }
    return Futures.all(chunks);
  }

  private static FileBlob parse(byte[] bytes) {
    try {
      return FileBlob.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw FarmException.internal("stored Goma blob is corrupt: %s", e.getMessage());
    }
  }
}
