package dev.kiln.client.cxx;

import dev.kiln.common.FileStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kiln's own C/C++ include scanner: lists every file a compile reads without running the
 * compiler's preprocessor. It follows #include, #include_next and #import through gcc's search
 * order, evaluates #if/#ifdef/#elif with macro expansion, {@code defined} and __has_include,
 * expands computed includes, and honours include guards and #pragma once. Where it cannot decide a
 * condition exactly it follows every branch, so its answer is a superset of {@code gcc -M}.
 * Parsed directives of each file are cached across scans, checked against the file's size and
 * modification time on every use (a file changed in the last two seconds is parsed again), and so
 * are the predefined macros of each compiler info and which system headers exist.
 */
public final class IncludeProcessor {
  private static final int MAX_MANIFESTS = 100_000;

  private record Parsed(FileStamp stamp, SourceFile file) {}

  private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();
  private final Map<ManifestKey, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<CompilerInfo, Macros> predefined = new ConcurrentHashMap<>();
  private final Map<Path, Boolean> systemHeaders = new ConcurrentHashMap<>();
  private final Map<String, List<Token>> lexed = new ConcurrentHashMap<>();
  private final java.time.Clock clock;

  public IncludeProcessor() {
    this(java.time.Clock.systemUTC());
  }

  public IncludeProcessor(java.time.Clock clock) {
    this.clock = clock;
  }

  /** Every file the compile of {@code source} reads: the source, forced includes and all headers. */
  public Set<Path> inputs(Path source, CompilerFlags flags, CompilerInfo info) {
    ManifestKey key = new ManifestKey(source, flags, info);
    Manifest known = manifests.get(key);
    if (known != null && known.stillValid()) {
      return known.inputs();
    }
    Scan scan = scan(source, flags, info);
    if (!scan.racy) {
      if (manifests.size() > MAX_MANIFESTS) {
        manifests.clear();
      }
      manifests.put(key, new Manifest(java.util.Collections.unmodifiableSet(new LinkedHashSet<>(scan.seen)), Map.copyOf(scan.path.probes()), Map.copyOf(scan.stamps)));
    }
    return scan.seen;
  }

  /**
   * What one scan depended on, so that the same compile need not be scanned again: every
   * non-system file it read (size and mtime) and every non-system path it asked about (exists or
   * not). A scan is a function of the flags, the compiler info, the files' contents and those
   * answers, so if all of them are unchanged, so is its result, including a new header that would
   * now shadow an old one (a different answer for its path). System headers are taken as fixed
   * while the proxy runs, as everywhere in the scanner.
   */
  private record Manifest(Set<Path> inputs, Map<Path, Boolean> probes, Map<Path, FileStamp> stamps) {
    boolean stillValid() {
      for (Map.Entry<Path, Boolean> p : probes.entrySet()) {
        if (Files.isRegularFile(p.getKey()) != p.getValue()) {
          return false;
        }
      }
      for (Map.Entry<Path, FileStamp> s : stamps.entrySet()) {
        try {
          if (!FileStamp.of(s.getKey()).equals(s.getValue())) {
            return false;
          }
        } catch (IOException e) {
          return false;
        }
      }
      return true;
    }
  }

  private record ManifestKey(Path source, CompilerFlags flags, CompilerInfo info) {}

  private Scan scan(Path source, CompilerFlags flags, CompilerInfo info) {
    Macros macros = predefined.computeIfAbsent(info, this::predefinedMacros).copy();
    for (String op : flags.macroOps()) {
      String body = op.substring(1);
      if (op.charAt(0) == 'U') {
        macros.undef(body);
      } else {
        int eq = body.indexOf('=');
        macros.define(eq < 0 ? body + " 1" : body.substring(0, eq) + " " + body.substring(eq + 1));
      }
    }
    SearchPath search = SearchPath.of(flags, info, systemHeaders);
    Scan scan = new Scan(search, macros);
    // gcc pre-includes <stdc-predef.h> from the system dirs unless told not to.
    if (flags.args().stream().noneMatch(a -> a.equals("-ffreestanding") || a.startsWith("-nostdinc"))) {
      SearchPath.Found predef = search.find("stdc-predef.h", true, source.getParent(), -1);
      if (predef != null) {
        scan.process(predef.path(), predef.index(), 0);
      }
    }
    for (Path forced : flags.forcedIncludes()) {
      scan.process(forced, -1, 0);
    }
    scan.process(source, -1, 0);
    return scan;
  }

  private Macros predefinedMacros(CompilerInfo info) {
    Macros macros = new Macros(lexed);
    for (String line : info.predefinedMacros().split("\n")) {
      if (line.startsWith("#define ")) {
        macros.define(line.substring(8));
      }
    }
    return macros;
  }

  /** A file's directives, and its stamp into the scan's record (a file changed just now makes the scan racy). */
  private SourceFile load(Path p, Scan scan) throws IOException {
    FileStamp stamp = FileStamp.of(p);
    boolean racy = stamp.racy(clock);
    if (!dev.kiln.common.SystemDirs.contains(p)) {
      scan.stamps.put(p, stamp);
      scan.racy |= racy;
    }
    Parsed cached = parsed.get(p);
    if (cached != null && cached.stamp().equals(stamp)) {
      return cached.file();
    }
    SourceFile f = SourceFile.read(p);
    if (!racy) {
      parsed.put(p, new Parsed(stamp, f));
    } else {
      parsed.remove(p);
    }
    return f;
  }

  /** One conditional level: is the current branch live, was a branch taken, is it undecidable. */
  private static final class Frame {
    final boolean parentActive;
    boolean active;
    boolean taken;
    boolean unknown;

    Frame(boolean parentActive, Condition.Value v) {
      this.parentActive = parentActive;
      set(v);
    }

    void set(Condition.Value v) {
      unknown |= v == Condition.Value.UNKNOWN;
      active = parentActive && (unknown || (!taken && v != Condition.Value.FALSE));
      taken |= v == Condition.Value.TRUE;
    }
  }

  private final class Scan {
    final SearchPath path;
    final Macros macros;
    final Set<Path> seen = new LinkedHashSet<>();
    final Set<Path> once = new HashSet<>();
    final Map<Path, FileStamp> stamps = new java.util.HashMap<>();
    boolean racy;

    Scan(SearchPath path, Macros macros) {
      this.path = path;
      this.macros = macros;
    }

    void process(Path file, int foundAt, int depth) {
      Path norm = file.toAbsolutePath().normalize();
      seen.add(norm);
      if (once.contains(norm) || depth > 200) {
        return;
      }
      SourceFile src;
      try {
        src = load(norm, this);
      } catch (IOException e) {
        return;
      }
      if (src.guard() != null && macros.defined(src.guard())) {
        return;
      }
      Deque<Frame> frames = new ArrayDeque<>();
      for (SourceFile.Directive d : src.directives()) {
        boolean live = frames.isEmpty() || frames.peek().active;
        switch (d.name()) {
          case "if", "ifdef", "ifndef" -> frames.push(new Frame(live, live ? test(d, norm, foundAt) : Condition.Value.FALSE));
          case "elif" -> {
            if (!frames.isEmpty() && frames.peek().parentActive) {
              Frame f = frames.peek();
              f.set(f.unknown || f.taken ? Condition.Value.FALSE : test(d, norm, foundAt));
            }
          }
          case "else" -> {
            if (!frames.isEmpty()) {
              Frame f = frames.peek();
              f.set(f.taken ? Condition.Value.FALSE : Condition.Value.TRUE);
            }
          }
          case "endif" -> {
            if (!frames.isEmpty()) {
              frames.pop();
            }
          }
          default -> {
            if (live) {
              directive(d, norm, foundAt, depth);
            }
          }
        }
      }
    }

    private Condition.Value test(SourceFile.Directive d, Path file, int foundAt) {
      String name = d.rest().split("[\\s(]", 2)[0];
      return switch (d.name()) {
        case "ifdef" -> macros.defined(name) ? Condition.Value.TRUE : Condition.Value.FALSE;
        case "ifndef" -> macros.defined(name) ? Condition.Value.FALSE : Condition.Value.TRUE;
        default -> Condition.evaluate(d.rest(), macros, spelled -> resolve(spelled, file, foundAt, false) != null);
      };
    }

    private void directive(SourceFile.Directive d, Path file, int foundAt, int depth) {
      switch (d.name()) {
        case "define" -> macros.define(d.rest());
        case "undef" -> macros.undef(d.rest().split("\\s+", 2)[0]);
        case "pragma" -> {
          if (d.rest().equals("once")) {
            once.add(file);
          }
        }
        case "include", "import", "include_next" -> {
          SearchPath.Found found = resolve(d.rest(), file, foundAt, d.name().equals("include_next"));
          if (found != null) {
            if (d.name().equals("import")) {
              Path n = found.path().toAbsolutePath().normalize();
              if (seen.contains(n)) {
                return;
              }
            }
            process(found.path(), found.index(), depth + 1);
          }
        }
        default -> { }
      }
    }

    /** Resolves an #include operand: "x", <x>, or macros expanding to either. */
    private SearchPath.Found resolve(String operand, Path includer, int foundAt, boolean next) {
      String spelled = operand.strip();
      if (!spelled.startsWith("\"") && !spelled.startsWith("<")) {
        StringBuilder b = new StringBuilder();
        List<Token> expanded = macros.expand(macros.lex(spelled));
        boolean angled = !expanded.isEmpty() && expanded.get(0).is("<");
        for (Token t : expanded) {
          b.append(t.text());
          if (angled && t.is(">")) {
            break;
          }
        }
        spelled = b.toString();
      }
      boolean angled = spelled.startsWith("<");
      int end = angled ? spelled.indexOf('>') : spelled.indexOf('"', 1);
      if (spelled.length() < 2 || end < 1) {
        return null;
      }
      return path.find(spelled.substring(1, end), angled, includer.getParent(), foundAt, next);
    }
  }
}
