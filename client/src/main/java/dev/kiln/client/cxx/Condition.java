package dev.kiln.client.cxx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Evaluates a #if / #elif expression. The answer is TRUE, FALSE or UNKNOWN: anything the scanner
 * cannot decide exactly (a call of a function-like name it does not know, such as
 * __has_attribute, or a division by zero) is UNKNOWN, and the scanner then follows every branch,
 * so its file list stays a superset of what the compiler reads.
 */
final class Condition {
  enum Value { TRUE, FALSE, UNKNOWN }

  private static final class Unknown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unknown() {
      super(null, null, false, false);
    }
  }

  private final List<Token> tokens;
  private int pos;

  private Condition(List<Token> tokens) {
    this.tokens = tokens;
  }

  /**
   * {@code hasInclude} answers __has_include / __has_include_next for a header spelled
   * {@code "x"} or {@code <x>}.
   */
  static Value evaluate(String expr, Macros macros, Predicate<String> hasInclude) {
    List<Token> raw = macros.lex(expr);
    List<Token> pre = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Token t = raw.get(i);
      if (t.is("defined")) {
        int j = i + 1;
        boolean paren = j < raw.size() && raw.get(j).is("(");
        if (paren) {
          j++;
        }
        if (j >= raw.size() || !raw.get(j).isIdent()) {
          return Value.UNKNOWN;
        }
        pre.add(number(macros.defined(raw.get(j).text())));
        i = paren ? j + 1 : j;
      } else {
        pre.add(t);
      }
    }
    // __has_include inhibits expansion of its operand (<linux/x.h> must not become <1/x.h>), so
    // it is answered before expanding, and again after, for uses that macros produce
    // (glibc: #define __glibc_has_include __has_include).
    List<Token> direct = hasIncludes(pre, hasInclude);
    if (direct == null) {
      return Value.UNKNOWN;
    }
    List<Token> expanded = hasIncludes(macros.expand(direct), hasInclude);
    if (expanded == null) {
      return Value.UNKNOWN;
    }
    for (int i = 0; i + 1 < expanded.size(); i++) {
      if (expanded.get(i).isIdent() && expanded.get(i + 1).is("(")) {
        return Value.UNKNOWN;
      }
    }
    try {
      Condition c = new Condition(expanded);
      long v = c.ternary();
      if (c.pos != expanded.size()) {
        return Value.UNKNOWN;
      }
      return v != 0 ? Value.TRUE : Value.FALSE;
    } catch (Unknown | NumberFormatException | IndexOutOfBoundsException e) {
      return Value.UNKNOWN;
    }
  }

  /** Replaces __has_include(...) and __has_include_next(...) by 1 or 0; null if malformed. */
  private static List<Token> hasIncludes(List<Token> in, Predicate<String> hasInclude) {
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Token t = in.get(i);
      if (t.is("__has_include") || t.is("__has_include_next")) {
        int close = i + 1;
        while (close < in.size() && !in.get(close).is(")")) {
          close++;
        }
        if (i + 1 >= in.size() || !in.get(i + 1).is("(") || close >= in.size()) {
          return null;
        }
        StringBuilder spelled = new StringBuilder();
        in.subList(i + 2, close).forEach(x -> spelled.append(x.text()));
        out.add(number(hasInclude.test(spelled.toString())));
        i = close;
      } else {
        out.add(t);
      }
    }
    return out;
  }

  private static Token number(boolean b) {
    return new Token(Token.Kind.NUMBER, b ? "1" : "0");
  }

  private Token peek() {
    return pos < tokens.size() ? tokens.get(pos) : new Token(Token.Kind.PUNCT, "");
  }

  private boolean eat(String s) {
    if (peek().is(s)) {
      pos++;
      return true;
    }
    return false;
  }

  private long ternary() {
    long c = binary(0);
    if (eat("?")) {
      long a = ternary();
      if (!eat(":")) {
        throw new Unknown();
      }
      long b = ternary();
      return c != 0 ? a : b;
    }
    return c;
  }

  private static final List<List<String>> LEVELS = List.of(List.of("||"), List.of("&&"), List.of("|"), List.of("^"), List.of("&"),
      List.of("==", "!="), List.of("<", ">", "<=", ">="), List.of("<<", ">>"), List.of("+", "-"), List.of("*", "/", "%"));

  private long binary(int level) {
    if (level == LEVELS.size()) {
      return unary();
    }
    long left = binary(level + 1);
    while (LEVELS.get(level).contains(peek().text()) && peek().kind() == Token.Kind.PUNCT) {
      String op = tokens.get(pos++).text();
      long right = binary(level + 1);
      left = switch (op) {
        case "||" -> (left != 0 || right != 0) ? 1 : 0;
        case "&&" -> (left != 0 && right != 0) ? 1 : 0;
        case "|" -> left | right;
        case "^" -> left ^ right;
        case "&" -> left & right;
        case "==" -> left == right ? 1 : 0;
        case "!=" -> left != right ? 1 : 0;
        case "<" -> left < right ? 1 : 0;
        case ">" -> left > right ? 1 : 0;
        case "<=" -> left <= right ? 1 : 0;
        case ">=" -> left >= right ? 1 : 0;
        case "<<" -> left << right;
        case ">>" -> left >> right;
        case "+" -> left + right;
        case "-" -> left - right;
        case "*" -> left * right;
        case "/" -> {
          if (right == 0) {
            throw new Unknown();
          }
          yield left / right;
        }
        case "%" -> {
          if (right == 0) {
            throw new Unknown();
          }
          yield left % right;
        }
        default -> throw new Unknown();
      };
    }
    return left;
  }

  private long unary() {
    if (eat("!")) {
      return unary() == 0 ? 1 : 0;
    }
    if (eat("-")) {
      return -unary();
    }
    if (eat("+")) {
      return unary();
    }
    if (eat("~")) {
      return ~unary();
    }
    if (eat("(")) {
      long v = ternary();
      if (!eat(")")) {
        throw new Unknown();
      }
      return v;
    }
    Token t = tokens.get(pos++);
    return switch (t.kind()) {
      case NUMBER -> parseNumber(t.text());
      case CHAR -> charValue(t.text());
      case IDENT -> t.is("true") ? 1 : 0;
      default -> throw new Unknown();
    };
  }

  static long parseNumber(String s) {
    String n = s.toLowerCase().replaceAll("[ul]+$", "");
    if (n.startsWith("0x")) {
      return Long.parseUnsignedLong(n.substring(2), 16);
    }
    if (n.startsWith("0b")) {
      return Long.parseLong(n.substring(2), 2);
    }
    if (n.length() > 1 && n.startsWith("0")) {
      return Long.parseLong(n.substring(1), 8);
    }
    return Long.parseLong(n);
  }

  private static long charValue(String lit) {
    String body = lit.substring(lit.indexOf('\'') + 1, lit.length() - 1);
    if (body.startsWith("\\")) {
      return switch (body.length() > 1 ? body.charAt(1) : '0') {
        case 'n' -> '\n';
        case 't' -> '\t';
        case '0' -> 0;
        default -> body.charAt(1);
      };
    }
    return body.isEmpty() ? 0 : body.charAt(0);
  }
}
