package dev.kiln.client.cxx;

import java.util.ArrayList;
import java.util.List;

/** Splits one directive's text into preprocessing tokens (comments already removed). */
final class Lexer {
  private static final String[] PUNCT3 = {"<<=", ">>=", "...", "%:%:"};
  private static final String[] PUNCT2 = {"<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "##", "->", "++", "--", "::"};

  private Lexer() {}

  static List<Token> tokens(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    boolean space = false;
    while (i < n) {
      char c = s.charAt(i);
      int before = out.size();
      if (Character.isWhitespace(c)) {
        i++;
        space = true;
        continue;
      }
      if (Character.isLetter(c) || c == '_' || c == '$') {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$')) {
          j++;
        }
        out.add(new Token(Token.Kind.IDENT, s.substring(i, j)));
        i = j;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.' || s.charAt(j) == '_'
            || ((s.charAt(j) == '+' || s.charAt(j) == '-') && "eEpP".indexOf(s.charAt(j - 1)) >= 0))) {
          j++;
        }
        out.add(new Token(Token.Kind.NUMBER, s.substring(i, j)));
        i = j;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && s.charAt(j) != c) {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        j = Math.min(n, j + 1);
        out.add(new Token(c == '"' ? Token.Kind.STRING : Token.Kind.CHAR, s.substring(i, j)));
        i = j;
      } else {
        String p = punct(s, i);
        out.add(new Token(Token.Kind.PUNCT, p));
        i += p.length();
      }
      if (space && out.size() > before) {
        Token t = out.remove(out.size() - 1);
        out.add(new Token(t.kind(), t.text(), true));
      }
      space = false;
    }
    return out;
  }

  private static String punct(String s, int i) {
    for (String p : PUNCT3) {
      if (s.startsWith(p, i)) {
        return p;
      }
    }
    for (String p : PUNCT2) {
      if (s.startsWith(p, i)) {
        return p;
      }
    }
    return String.valueOf(s.charAt(i));
  }
}
