package dev.kiln.scheduler.grpc;

import build.bazel.remote.execution.v2.Compressor;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.InstanceNames;
import java.util.Arrays;
import java.util.List;

/**
 * A ByteStream resource name, parsed from the left on its keywords (instance names may contain
 * '/', and trailing metadata is allowed): {@code [instance/]blobs/{hash}/{size}} or
 * {@code [instance/]compressed-blobs/zstd/{hash}/{size}} for reads and
 * {@code [instance/]uploads/{uuid}/blobs/{hash}/{size}[/...]} or
 * {@code [instance/]uploads/{uuid}/compressed-blobs/zstd/{hash}/{size}[/...]} for writes; a
 * compressed name's digest is the uncompressed blob's. Compressors other than zstd are refused
 * with INVALID_ARGUMENT naming them. A stray leading '/' (old SDKs and Pants) is ignored; the
 * instance is normalized by {@link InstanceNames}.
 */
public record ResourceName(String instance, String uploadId, Digest digest, Compressor.Value compressor) {

  /** An uncompressed blob's name. */
  public ResourceName(String instance, String uploadId, Digest digest) {
    this(instance, uploadId, digest, Compressor.Value.IDENTITY);
  }

  public boolean compressed() {
    return compressor != Compressor.Value.IDENTITY;
  }

  public static ResourceName parseRead(String name) {
    List<String> segs = segments(name);
    for (int i = 0; i < segs.size(); i++) {
      String s = segs.get(i);
      if (s.equals("compressed-blobs") && i + 3 < segs.size()) {
        return new ResourceName(instance(segs, i), null, digest(segs, i + 2), compressor(segs.get(i + 1), name));
      }
      if (s.equals("blobs") && i + 2 < segs.size()) {
        return new ResourceName(instance(segs, i), null, digest(segs, i + 1));
      }
    }
    throw FarmException.invalidArgument(
        "resource name '%s' is not of the form [instance/]blobs/{hash}/{size} or [instance/]compressed-blobs/zstd/{hash}/{size}", name);
  }

  public static ResourceName parseWrite(String name) {
    List<String> segs = segments(name);
    for (int i = 0; i + 4 < segs.size(); i++) {
      if (segs.get(i).equals("uploads")) {
        if (segs.get(i + 2).equals("compressed-blobs") && i + 5 < segs.size()) {
          return new ResourceName(instance(segs, i), segs.get(i + 1), digest(segs, i + 4), compressor(segs.get(i + 3), name));
        }
        if (segs.get(i + 2).equals("blobs")) {
          return new ResourceName(instance(segs, i), segs.get(i + 1), digest(segs, i + 3));
        }
      }
    }
    throw FarmException.invalidArgument("resource name '%s' is not of the form "
        + "[instance/]uploads/{uuid}/blobs/{hash}/{size} or [instance/]uploads/{uuid}/compressed-blobs/zstd/{hash}/{size}", name);
  }

  private static String instance(List<String> segs, int keyword) {
    return InstanceNames.normalize(String.join("/", segs.subList(0, keyword)));
  }

  private static Digest digest(List<String> segs, int at) {
    return new Digest(segs.get(at), Digest.parseSize(segs.get(at + 1)));
  }

  private static Compressor.Value compressor(String segment, String name) {
    if (segment.equals("zstd")) {
      return Compressor.Value.ZSTD;
    }
    throw FarmException.invalidArgument("compressor '%s' is not supported (only zstd is advertised): %s", segment, name);
  }

  private static List<String> segments(String name) {
    if (name.indexOf('\0') >= 0) {
      throw FarmException.invalidArgument("resource name contains NUL");
    }
    String n = name.startsWith("/") ? name.substring(1) : name;
    return Arrays.asList(n.split("/", -1));
  }
}
