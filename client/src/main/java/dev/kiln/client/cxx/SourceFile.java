package dev.kiln.client.cxx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The preprocessor directives of one file, with comments removed and continued lines joined.
 * Everything else in the file is irrelevant to which files a compile reads, so it is dropped.
 */
record SourceFile(Path path, List<Directive> directives, String guard) {
  /** One directive: its name ("include", "if", ...) and the rest of its line. */
  record Directive(String name, String rest) {}

  static SourceFile read(Path path) throws IOException {
    String text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
    List<Directive> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    boolean inBlockComment = false;
    int i = 0;
    int n = text.length();
    boolean atLineStart = true;
    boolean directive = false;
    while (i <= n) {
      char c = i < n ? text.charAt(i) : '\n';
      if (inBlockComment) {
        if (c == '*' && i + 1 < n && text.charAt(i + 1) == '/') {
          inBlockComment = false;
          i += 2;
          line.append(' ');
          continue;
        }
        if (c == '\n' && !directive) {
          atLineStart = true;
        }
        i++;
        continue;
      }
      if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i += 2;
        continue;
      }
      if (c == '\\' && i + 2 < n && text.charAt(i + 1) == '\r' && text.charAt(i + 2) == '\n') {
        i += 3;
        continue;
      }
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        inBlockComment = true;
        i += 2;
        continue;
      }
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i < n && text.charAt(i) != '\n') {
          if (text.charAt(i) == '\\' && i + 1 < n && text.charAt(i + 1) == '\n') {
            i++;
          }
          i++;
        }
        continue;
      }
      if (c == '\n') {
        if (directive) {
          add(out, line.toString());
        }
        line.setLength(0);
        directive = false;
        atLineStart = true;
        i++;
        continue;
      }
      if (atLineStart && !Character.isWhitespace(c)) {
        atLineStart = false;
        directive = c == '#';
        if (directive) {
          i++;
          continue;
        }
      }
      if (directive) {
        if (c == '"' || c == '\'') {
          int j = i + 1;
          while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
            j += text.charAt(j) == '\\' ? 2 : 1;
          }
          j = Math.min(n, j + 1);
          line.append(text, i, j);
          i = j;
          continue;
        }
        line.append(c);
      } else if (c == '"' || c == '\'') {
        // skip literals in code lines so that "/*" inside a string is not a comment
        int j = i + 1;
        while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
          j += text.charAt(j) == '\\' ? 2 : 1;
        }
        i = Math.min(n, j + 1);
        continue;
      }
      i++;
    }
    return new SourceFile(path, List.copyOf(out), guardOf(out));
  }

  private static void add(List<Directive> out, String line) {
    String l = line.strip();
    int j = 0;
    while (j < l.length() && (Character.isLetterOrDigit(l.charAt(j)) || l.charAt(j) == '_')) {
      j++;
    }
    if (j > 0) {
      out.add(new Directive(l.substring(0, j), l.substring(j).strip()));
    }
  }

  /** The include guard: #ifndef X / #define X first, and the matching #endif last. */
  private static String guardOf(List<Directive> ds) {
    if (ds.size() < 3 || !ds.get(0).name().equals("ifndef") || !ds.get(1).name().equals("define")
        || !ds.get(ds.size() - 1).name().equals("endif")) {
      return null;
    }
    String name = ds.get(0).rest().split("\\s+")[0];
    if (!ds.get(1).rest().split("\\s+")[0].equals(name)) {
      return null;
    }
    int depth = 0;
    for (int k = 0; k < ds.size(); k++) {
      String d = ds.get(k).name();
      if (d.startsWith("if")) {
        depth++;
      } else if (d.equals("endif")) {
        depth--;
        if (depth == 0 && k != ds.size() - 1) {
          return null;
        }
      }
    }
    return name;
  }
}
