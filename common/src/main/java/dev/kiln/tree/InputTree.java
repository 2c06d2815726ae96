package dev.kiln.tree;

import build.bazel.remote.execution.v2.Directory;
import dev.kiln.common.Digest;
import java.util.Map;
import java.util.Set;

/** An input root fetched from the CAS: every Directory by digest, and every file digest in it. */
public record InputTree(Digest root, Map<Digest, Directory> directories, Set<Digest> files) {}
