package dev.kiln.client.cxx;

/** A preprocessing token: its kind, text, and whether whitespace preceded it (for #x). */
record Token(Kind kind, String text, boolean spaceBefore) {
  enum Kind { IDENT, NUMBER, STRING, CHAR, PUNCT }

  Token(Kind kind, String text) {
    this(kind, text, false);
  }

  boolean is(String s) {
    return text.equals(s);
  }

  boolean isIdent() {
    return kind == Kind.IDENT;
  }
}
