package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;

/** One lexical token with its 1-based position; {@code value} is set for strings and numbers. */
record Token(Kind kind, String text, JsonNode value, int line, int column) {

    enum Kind {
        STRING, NUMBER, IDENT,
        LBRACKET, RBRACKET, LBRACE, RBRACE, PERCENT_LBRACE, LPAREN, RPAREN,
        COMMA, COLON, PIPE, ARROW, DOT, MINUS,
        EQ, NEQ, STRICT_EQ, STRICT_NEQ, LT, LE, GT, GE, ANDAND, OROR, BANG,
        EOF
    }

    String describe() {
        return switch (kind) {
            case EOF -> "end of source";
            case STRING -> "string " + text;
            case NUMBER -> "number " + text;
            case IDENT -> "'" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
