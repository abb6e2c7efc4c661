package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;

/** One lexical token with its 1-based position; {@code value} is set for strings, charlists and numbers. */
record Token(Kind kind, String text, JsonNode value, int line, int column) {

    enum Kind {
        STRING, CHARLIST, NUMBER, IDENT, ERLANG,
        LBRACKET, RBRACKET, LBRACE, RBRACE, PERCENT_LBRACE, LPAREN, RPAREN,
        COMMA, COLON, PIPE, ARROW, DOT, DOTDOT, STEP, MATCH,
        PLUS, MINUS, STAR, SLASH, CONCAT, PIPE_INTO,
        EQ, NEQ, STRICT_EQ, STRICT_NEQ, LT, LE, GT, GE, ANDAND, OROR, BANG,
        BAND, BOR, BSL, BSR, BNOT,
        EOF
    }

    String describe() {
        return switch (kind) {
            case EOF -> "end of source";
            case STRING -> "string " + text;
            case CHARLIST -> "charlist " + text;
            case NUMBER -> "number " + text;
            case IDENT, ERLANG -> "'" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
