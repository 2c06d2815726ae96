package dev.kiln.scheduler.grpc;

import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.InstanceNames;
import java.util.Arrays;
import java.util.List;

/**
 * A ByteStream resource name, parsed from the left on its keywords (instance names may contain
 * '/', and trailing metadata is allowed): {@code [instance/]blobs/{hash}/{size}} for reads and
 * {@code [instance/]uploads/{uuid}/blobs/{hash}/{size}[/...]} for writes. A stray leading '/'
 * (old SDKs and Pants) is ignored; the instance is normalized by {@link InstanceNames}. Compressed
 * blobs are refused: Kiln does not advertise them.
 */
public record ResourceName(String instance, String uploadId, Digest digest) {

  public static ResourceName parseRead(String name) {
    List<String> segs = segments(name);
    for (int i = 0; i < segs.size(); i++) {
      String s = segs.get(i);
      if (s.equals("compressed-blobs")) {
        throw FarmException.invalidArgument("compressed-blobs are not supported (no compressor is advertised): %s", name);
      }
      if (s.equals("blobs") && i + 2 < segs.size()) {
        return new ResourceName(InstanceNames.normalize(String.join("/", segs.subList(0, i))), null,
            new Digest(segs.get(i + 1), Digest.parseSize(segs.get(i + 2))));
      }
    }
    throw FarmException.invalidArgument("resource name '%s' is not of the form [instance/]blobs/{hash}/{size}", name);
  }

  public static ResourceName parseWrite(String name) {
    List<String> segs = segments(name);
    for (int i = 0; i + 4 < segs.size(); i++) {
      if (segs.get(i).equals("uploads")) {
        if (segs.get(i + 2).equals("compressed-blobs")) {
          throw FarmException.invalidArgument("compressed-blobs are not supported (no compressor is advertised): %s", name);
        }
        if (segs.get(i + 2).equals("blobs")) {
          return new ResourceName(InstanceNames.normalize(String.join("/", segs.subList(0, i))), segs.get(i + 1),
              new Digest(segs.get(i + 3), Digest.parseSize(segs.get(i + 4))));
        }
      }
    }
    throw FarmException.invalidArgument("resource name '%s' is not of the form [instance/]uploads/{uuid}/blobs/{hash}/{size}", name);
  }

  private static List<String> segments(String name) {
    if (name.indexOf('\0') >= 0) {
      throw FarmException.invalidArgument("resource name contains NUL");
    }
    String n = name.startsWith("/") ? name.substring(1) : name;
    return Arrays.asList(n.split("/", -1));
  }
}
