package dev.kiln.client.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.common.Hashing;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Goma's LocalOutputCache: successful results kept on this machine, keyed by the normalized
 * request (compiler, arguments, expected outputs, every input's name and content hash, and the
 * working directory unless the compiler type dropped it; not who asked). A hit is answered without leaving the machine, marked
 * LOCAL_OUTPUT_CACHE. Least recently used entries go once the directory passes its size bound.
 * A decorator: everything else goes to the wrapped {@link GomaExec}.
 */
public final class LocalOutputCache implements GomaExec {
  private final GomaExec farm;
  private final Path dir;
  private final long maxBytes;
  private final Clock clock;
  private final AtomicLong bytes = new AtomicLong();

  public LocalOutputCache(GomaExec farm, Path dir, long maxBytes, Clock clock) throws IOException {
    this.farm = farm;
    this.dir = Files.createDirectories(dir);
    this.maxBytes = maxBytes;
    this.clock = clock;
    entries().forEach(p -> bytes.addAndGet(p.toFile().length()));
  }

  @Override
  public ExecResp exec(ExecReq req, ExecReq normalized) throws IOException, InterruptedException {
    Path entry = dir.resolve(key(normalized));
    Optional<ExecResp> cached = read(entry);
    if (cached.isPresent()) {
      return cached.get();
    }
    ExecResp resp = farm.exec(req, normalized);
    if (cacheable(req, resp)) {
      write(entry, resp.toBuilder().clearCacheHit().build().toByteArray());
    }
    return resp;
  }

  @Override
  public void store(List<dev.kiln.proto.goma.FileBlob> blobs) throws IOException, InterruptedException {
    farm.store(blobs);
  }

  /** The request as the result depends on it: no requester, inputs by name and hash only, in name order. */
  static String key(ExecReq req) {
    ExecReq.Builder b = req.toBuilder().clearRequesterInfo().clearInput();
    req.getInputList().stream().sorted(Comparator.comparing(ExecReq.Input::getFilename))
        .forEach(in -> b.addInput(ExecReq.Input.newBuilder().setFilename(in.getFilename()).setHashKey(in.getHashKey())));
    return Hashing.sha256Hex(b.buildPartial().toByteArray());
  }

  /**
   * Successes only, and only answers carrying exactly the expected outputs: one kiln-cc would refuse
   * ({@link DeclaredOutputs}) must not be kept and replayed to every later compile.
   */
  private static boolean cacheable(ExecReq req, ExecResp resp) {
    return resp.getError() == ExecResp.ExecError.OK && resp.getErrorMessageCount() == 0 && resp.getMissingInputCount() == 0
        && resp.hasResult() && resp.getResult().getExitStatus() == 0
        && resp.getResult().getOutputList().stream().map(ExecResult.Output::getFilename).sorted().toList()
            .equals(req.getExpectedOutputFilesList().stream().sorted().toList());
  }

  private Optional<ExecResp> read(Path entry) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(entry);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      ExecResp resp = ExecResp.parseFrom(data);
      Files.setLastModifiedTime(entry, FileTime.from(clock.instant()));
      return Optional.of(resp.toBuilder().setCacheHit(ExecResp.CacheSource.LOCAL_OUTPUT_CACHE).build());
    } catch (InvalidProtocolBufferException e) {
      forget(entry);
      return Optional.empty();
    }
  }

  private void write(Path entry, byte[] data) throws IOException {
    Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
    Files.write(tmp, data);
    Files.setLastModifiedTime(tmp, FileTime.from(clock.instant()));
    long replaced = entry.toFile().length();
    Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (bytes.addAndGet(data.length - replaced) > maxBytes) {
      evict();
    }
  }

  /** Oldest first until the directory is back to 80% of its bound. */
  private synchronized void evict() throws IOException {
    List<Path> oldestFirst = entries().sorted(Comparator.comparing(LocalOutputCache::lastUsed)).toList();
    for (Path p : oldestFirst) {
      if (bytes.get() <= maxBytes * 8 / 10) {
        return;
      }
      forget(p);
    }
  }

  private void forget(Path entry) throws IOException {
    long size = entry.toFile().length();
    if (Files.deleteIfExists(entry)) {
      bytes.addAndGet(-size);
    }
  }

  private Stream<Path> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".tmp-")).toList().stream();
    }
  }

  private static FileTime lastUsed(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0); // already gone: first in line
    }
  }
}
