package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.guard.Token.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits guard source into tokens. Hand-written so that every rejection carries a position and
 * no input can make it do more than one pass over the text. Comments run from {@code #} or
 * {@code //} to the end of the line (the protocol reference writes {@code //} in its example).
 */
final class Lexer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String src) {
        this.src = src;
    }

    /** Tokens ending with EOF; throws {@link GuardSyntaxException} on bad input. */
    static List<Token> tokenize(String src) {
        return new Lexer(src).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= src.length()) {
                out.add(new Token(Kind.EOF, "", null, line, column(pos)));
                return out;
            }
            out.add(next());
        }
    }

    private int column(int at) {
        return at - lineStart + 1;
    }

    private GuardSyntaxException error(String message, int at) {
        return new GuardSyntaxException(new GuardError(message, line, column(at)));
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#' || (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/')) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = pos;
        char c = src.charAt(pos);
        if (c == '"') {
            return string(start);
        }
        if (c >= '0' && c <= '9') {
            return number(start);
        }
        if (isIdentStart(c)) {
            return ident(start);
        }
        Kind kind;
        int len = 1;
        switch (c) {
            case '[' -> kind = Kind.LBRACKET;
            case ']' -> kind = Kind.RBRACKET;
            case '{' -> kind = Kind.LBRACE;
            case '}' -> kind = Kind.RBRACE;
            case '(' -> kind = Kind.LPAREN;
            case ')' -> kind = Kind.RPAREN;
            case ',' -> kind = Kind.COMMA;
            case ':' -> kind = Kind.COLON;
            case '.' -> kind = Kind.DOT;
            case '-' -> kind = Kind.MINUS;
            case '%' -> {
                if (!peekIs(1, '{')) {
                    throw error("'%' must start a map, as in %{\"key\" => Value}", start);
                }
                kind = Kind.PERCENT_LBRACE;
                len = 2;
            }
            case '|' -> {
                kind = peekIs(1, '|') ? Kind.OROR : Kind.PIPE;
                len = kind == Kind.OROR ? 2 : 1;
            }
            case '&' -> {
                if (!peekIs(1, '&')) {
                    throw error("unexpected '&'; did you mean '&&'?", start);
                }
                kind = Kind.ANDAND;
                len = 2;
            }
            case '=' -> {
                if (peekIs(1, '>')) {
                    kind = Kind.ARROW;
                    len = 2;
                } else if (peekIs(1, '=') && peekIs(2, '=')) {
                    kind = Kind.STRICT_EQ;
                    len = 3;
                } else if (peekIs(1, '=')) {
                    kind = Kind.EQ;
                    len = 2;
                } else {
                    throw error("unexpected '='; use '==' to compare (there is no assignment in guards)", start);
                }
            }
            case '!' -> {
                if (peekIs(1, '=') && peekIs(2, '=')) {
                    kind = Kind.STRICT_NEQ;
                    len = 3;
                } else if (peekIs(1, '=')) {
                    kind = Kind.NEQ;
                    len = 2;
                } else {
                    kind = Kind.BANG;
                }
            }
            case '<' -> {
                kind = peekIs(1, '=') ? Kind.LE : Kind.LT;
                len = kind == Kind.LE ? 2 : 1;
            }
            case '>' -> {
                kind = peekIs(1, '=') ? Kind.GE : Kind.GT;
                len = kind == Kind.GE ? 2 : 1;
            }
            case '\'' -> throw error("single-quoted charlists are not supported; use double quotes", start);
            default -> throw error("unexpected character " + describeChar(c), start);
        }
        pos += len;
        return new Token(kind, src.substring(start, pos), null, line, column(start));
    }

    private static String describeChar(char c) {
        if (c < 0x20 || c > 0x7e) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private boolean peekIs(int ahead, char c) {
        return pos + ahead < src.length() && src.charAt(pos + ahead) == c;
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    private Token ident(int start) {
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
            pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == '?' || src.charAt(pos) == '!')
                && !peekIs(1, '=')) {
            pos++;
        }
        return new Token(Kind.IDENT, src.substring(start, pos), null, line, column(start));
    }

    private Token number(int start) {
        boolean isFloat = false;
        digits();
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && isAsciiDigit(src.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            digits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && isAsciiDigit(src.charAt(pos))) {
                isFloat = true;
                digits();
            } else {
                pos = save;
            }
        }
        if (pos < src.length() && isIdentStart(src.charAt(pos))) {
            throw error("malformed number", start);
        }
        String text = src.substring(start, pos);
        String plain = text.replace("_", "");
        JsonNode value;
        if (isFloat) {
            double d = Double.parseDouble(plain);
            if (!Double.isFinite(d)) {
                throw error("number " + text + " is out of range", start);
            }
            value = NODES.numberNode(d);
        } else {
            BigInteger big = new BigInteger(plain);
            value = big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
        }
        return new Token(Kind.NUMBER, text, value, line, column(start));
    }

    /** Only 0-9: Character.isDigit also accepts other scripts' digits, which no number parser reads. */
    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void digits() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isDigit(c) && c < 128) {
                pos++;
            } else if (c == '_' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))
                    && src.charAt(pos + 1) < 128) {
                pos++;
            } else {
                return;
            }
        }
    }

    private Token string(int start) {
        int startLine = line;
        int startColumn = column(start);
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw new GuardSyntaxException(new GuardError("unterminated string", startLine, startColumn));
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\') {
                sb.append(escape());
                continue;
            }
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            sb.append(c);
            pos++;
        }
        String text = src.substring(start, pos);
        return new Token(Kind.STRING, text, NODES.textNode(sb.toString()), startLine, startColumn);
    }

    private char escape() {
        int at = pos;
        if (pos + 1 >= src.length()) {
            throw error("unterminated escape", at);
        }
        char e = src.charAt(pos + 1);
        pos += 2;
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case '#' -> '#';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (pos + 4 > src.length()) {
                    throw error("\\u needs four hex digits", at);
                }
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(src.charAt(pos + i), 16);
                    if (d < 0) {
                        throw error("\\u needs four hex digits", at);
                    }
                    v = v * 16 + d;
                }
                pos += 4;
                yield (char) v;
            }
            default -> throw error("unknown escape \\" + e, at);
        };
    }

}
