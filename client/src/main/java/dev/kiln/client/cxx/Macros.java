package dev.kiln.client.cxx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The macro table of one scan and macro expansion (object-like and function-like, # and ##). */
final class Macros {
  /** A macro: {@code params} null for object-like. */
  record Macro(String name, List<String> params, boolean variadic, List<Token> body) {}

  private final Map<String, Macro> table = new HashMap<>();
  /** Directive text to tokens, shared by every scan of one include processor (lexing dominated scans). */
  private final Map<String, List<Token>> lexed;

  Macros() {
    this(new java.util.concurrent.ConcurrentHashMap<>());
  }

  Macros(Map<String, List<Token>> lexed) {
    this.lexed = lexed;
  }

  Macros copy() {
    Macros m = new Macros(lexed);
    m.table.putAll(table);
    return m;
  }

  /** The tokens of a directive's text, lexed once per distinct text. */
  List<Token> lex(String text) {
    List<Token> t = lexed.get(text);
    if (t == null) {
      t = List.copyOf(Lexer.tokens(text));
      if (lexed.size() < 1_000_000) {
        lexed.put(text, t);
      }
    }
    return t;
  }

  /** Names gcc treats as defined for #ifdef / defined() although they are operators. */
  private static final java.util.Set<String> SPECIAL = java.util.Set.of("__has_include", "__has_include_next",
      "__has_attribute", "__has_cpp_attribute", "__has_builtin", "__has_c_attribute");

  boolean defined(String name) {
    return table.containsKey(name) || SPECIAL.contains(name);
  }

  boolean isFunctionLike(String name) {
    Macro m = table.get(name);
    return m != null && m.params() != null;
  }

  void undef(String name) {
    table.remove(name);
  }

  /** Applies {@code #define REST} (REST is the directive's text after "define"). */
  void define(String rest) {
    int i = 0;
    while (i < rest.length() && (Character.isLetterOrDigit(rest.charAt(i)) || rest.charAt(i) == '_' || rest.charAt(i) == '$')) {
      i++;
    }
    if (i == 0) {
      return;
    }
    String name = rest.substring(0, i);
    if (i < rest.length() && rest.charAt(i) == '(') {
      int close = rest.indexOf(')', i);
      if (close < 0) {
        return;
      }
      List<String> params = new ArrayList<>();
      boolean variadic = false;
      for (String p : rest.substring(i + 1, close).split(",")) {
        String q = p.strip();
        if (q.endsWith("...")) {
          variadic = true;
          q = q.equals("...") ? "__VA_ARGS__" : q.substring(0, q.length() - 3).strip();
        }
        if (!q.isEmpty()) {
          params.add(q);
        }
      }
      table.put(name, new Macro(name, params, variadic, lex(rest.substring(close + 1))));
    } else {
      table.put(name, new Macro(name, null, false, lex(rest.substring(i))));
    }
  }

  /** Fully expands {@code tokens}. */
  List<Token> expand(List<Token> tokens) {
    return expand(tokens, new HashSet<>(), 0);
  }

  private List<Token> expand(List<Token> in, Set<String> hidden, int depth) {
    List<Token> out = new ArrayList<>();
    if (depth > 64) {
      out.addAll(in);
      return out;
    }
    for (int i = 0; i < in.size(); i++) {
      Token t = in.get(i);
      Macro m = t.isIdent() ? table.get(t.text()) : null;
      if (m == null || hidden.contains(t.text())) {
        out.add(t);
        continue;
      }
      Set<String> inner = new HashSet<>(hidden);
      inner.add(m.name());
      if (m.params() == null) {
        out.addAll(expand(paste(m.body()), inner, depth + 1));
        continue;
      }
      if (i + 1 >= in.size() || !in.get(i + 1).is("(")) {
        out.add(t);
        continue;
      }
      List<List<Token>> args = new ArrayList<>();
      int j = collectArgs(in, i + 1, args);
      if (j < 0) {
        out.add(t);
        continue;
      }
      out.addAll(expand(substitute(m, args, hidden, depth), inner, depth + 1));
      i = j;
    }
    return out;
  }

  /** Collects arguments from the '(' at {@code open}; returns the index of ')' or -1. */
  private static int collectArgs(List<Token> in, int open, List<List<Token>> args) {
    int depth = 0;
    List<Token> cur = new ArrayList<>();
    for (int k = open; k < in.size(); k++) {
      Token t = in.get(k);
      if (t.is("(")) {
        if (depth++ == 0) {
          continue;
        }
      } else if (t.is(")")) {
        if (--depth == 0) {
          args.add(cur);
          return k;
        }
      } else if (t.is(",") && depth == 1) {
        args.add(cur);
        cur = new ArrayList<>();
        continue;
      }
      cur.add(t);
    }
    return -1;
  }

  private List<Token> substitute(Macro m, List<List<Token>> args, Set<String> hidden, int depth) {
    Map<String, List<Token>> byName = new HashMap<>();
    for (int p = 0; p < m.params().size(); p++) {
      List<Token> a;
      if (m.variadic() && p == m.params().size() - 1) {
        a = new ArrayList<>();
        for (int k = p; k < args.size(); k++) {
          if (k > p) {
            a.add(new Token(Token.Kind.PUNCT, ","));
          }
          a.addAll(args.get(k));
        }
      } else {
        a = p < args.size() ? args.get(p) : List.of();
      }
      byName.put(m.params().get(p), a);
    }
    List<Token> out = new ArrayList<>();
    List<Token> body = m.body();
    for (int k = 0; k < body.size(); k++) {
      Token t = body.get(k);
      if (t.is("#") && k + 1 < body.size() && byName.containsKey(body.get(k + 1).text())) {
        out.add(stringify(byName.get(body.get(++k).text())));
      } else if (t.isIdent() && byName.containsKey(t.text())) {
        boolean pasted = (k > 0 && body.get(k - 1).is("##")) || (k + 1 < body.size() && body.get(k + 1).is("##"));
        out.addAll(pasted ? byName.get(t.text()) : expand(byName.get(t.text()), hidden, depth + 1));
      } else {
        out.add(t);
      }
    }
    return paste(out);
  }

  /** Applies ## by joining the texts on either side. */
  private static List<Token> paste(List<Token> in) {
    if (in.stream().noneMatch(t -> t.is("##"))) {
      return in;
    }
    List<Token> out = new ArrayList<>();
    for (int k = 0; k < in.size(); k++) {
      if (in.get(k).is("##") && !out.isEmpty() && k + 1 < in.size()) {
        Token left = out.remove(out.size() - 1);
        out.addAll(Lexer.tokens(left.text() + in.get(++k).text()));
      } else if (!in.get(k).is("##")) {
        out.add(in.get(k));
      }
    }
    return out;
  }

  private static Token stringify(List<Token> arg) {
    StringBuilder b = new StringBuilder("\"");
    for (int k = 0; k < arg.size(); k++) {
      if (k > 0 && arg.get(k).spaceBefore()) {
        b.append(' ');
      }
      b.append(arg.get(k).text().replace("\\", "\\\\").replace("\"", "\\\""));
    }
    return new Token(Token.Kind.STRING, b.append('"').toString());
  }
}
