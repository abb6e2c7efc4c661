package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.alloplace.guard.Token.Kind;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits guard source into tokens with Elixir's lexical rules: integers in decimal, hex
 * ({@code 0x1F}), octal and binary with {@code _} separators, floats, {@code ?a} characters,
 * double-quoted binaries and single-quoted charlists with Elixir's escapes. Hand-written so that
 * every rejection carries a position and no input makes it do more than one pass over the text.
 * Comments run from {@code #} to the end of the line, and from {@code //} too (the protocol
 * reference writes them), except that {@code //} right after a range's last bound is the step
 * ({@code 1..9//2}).
 */
final class Lexer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

    private final String src;
    private final List<Token> out = new ArrayList<>();
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
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#' || (c == '/' && peekIs(1, '/') && !(pos == start && atRangeStep()))) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /**
     * Whether {@code //} here is a range step: it follows, with no space, the last bound of a
     * range (a number, a name or a parenthesised expression after {@code ..}).
     */
    private boolean atRangeStep() {
        int i = out.size() - 1;
        if (i < 0) {
            return false;
        }
        if (out.get(i).kind() == Kind.RPAREN) {
            int open = 0;
            for (; i >= 0; i--) {
                Kind k = out.get(i).kind();
                if (k == Kind.RPAREN) {
                    open++;
                } else if (k == Kind.LPAREN && --open == 0) {
                    break;
                }
            }
            i--;
            if (i >= 0 && out.get(i).kind() == Kind.IDENT) {
                i--;
            }
        } else if (out.get(i).kind() == Kind.NUMBER || out.get(i).kind() == Kind.IDENT) {
            i--;
        } else {
            return false;
        }
        if (i >= 0 && (out.get(i).kind() == Kind.MINUS || out.get(i).kind() == Kind.PLUS)) {
            i--;
        }
        return i >= 0 && out.get(i).kind() == Kind.DOTDOT;
    }

    private Token token(Kind kind, int start, JsonNode value) {
        return new Token(kind, src.substring(start, pos), value, line, column(start));
    }

    private Token next() {
        int start = pos;
        char c = src.charAt(pos);
        if (c == '"') {
            return string(start);
        }
        if (c == '\'') {
            return charlist(start);
        }
        if (c == '?') {
            return character(start);
        }
        if (c >= '0' && c <= '9') {
            return number(start);
        }
        if (isIdentStart(c)) {
            return ident(start);
        }
        if (c == ':') {
            return colon(start);
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
            case '+' -> {
                if (peekIs(1, '+')) {
                    throw error("'++' is not allowed in guards (Elixir forbids it too)", start);
                }
                kind = Kind.PLUS;
            }
            case '-' -> {
                if (peekIs(1, '-')) {
                    throw error("'--' is not allowed in guards (Elixir forbids it too); for a negative"
                            + " number write '- -1'", start);
                }
                kind = Kind.MINUS;
            }
            case '*' -> {
                if (peekIs(1, '*')) {
                    throw error("'**' is not allowed in guards (Elixir forbids it too)", start);
                }
                kind = Kind.STAR;
            }
            case '/' -> {
                kind = peekIs(1, '/') ? Kind.STEP : Kind.SLASH;
                len = kind == Kind.STEP ? 2 : 1;
            }
            case '.' -> {
                if (peekIs(1, '.') && peekIs(2, '.')) {
                    throw error("unexpected '...'", start);
                }
                kind = peekIs(1, '.') ? Kind.DOTDOT : Kind.DOT;
                len = kind == Kind.DOTDOT ? 2 : 1;
            }
            case '%' -> {
                if (!peekIs(1, '{')) {
                    throw error("'%' must start a map, as in %{\"key\" => Value}", start);
                }
                kind = Kind.PERCENT_LBRACE;
                len = 2;
            }
            case '|' -> {
                if (peekIs(1, '|') && peekIs(2, '|')) {
                    kind = Kind.BOR;
                    len = 3;
                } else if (peekIs(1, '|')) {
                    kind = Kind.OROR;
                    len = 2;
                } else if (peekIs(1, '>')) {
                    kind = Kind.PIPE_INTO;
                    len = 2;
                } else {
                    kind = Kind.PIPE;
                }
            }
            case '&' -> {
                if (peekIs(1, '&') && peekIs(2, '&')) {
                    kind = Kind.BAND;
                    len = 3;
                } else if (peekIs(1, '&')) {
                    kind = Kind.ANDAND;
                    len = 2;
                } else {
                    throw error("unexpected '&'; did you mean '&&'?", start);
                }
            }
            case '~' -> {
                if (pos + 1 < src.length() && isIdentStart(src.charAt(pos + 1))) {
                    throw error("sigils are not supported; write a \"string\" or 'charlist'", start);
                }
                if (!peekIs(1, '~') || !peekIs(2, '~')) {
                    throw error("unexpected character '~'", start);
                }
                kind = Kind.BNOT;
                len = 3;
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
                } else if (peekIs(1, '~')) {
                    throw error("'=~' is not allowed in guards (Elixir forbids it too)", start);
                } else {
                    kind = Kind.MATCH;
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
                if (peekIs(1, '<') && peekIs(2, '<')) {
                    kind = Kind.BSL;
                    len = 3;
                } else if (peekIs(1, '<')) {
                    throw error("bitstring syntax << >> is not supported; write \"text\"", start);
                } else if (peekIs(1, '>')) {
                    kind = Kind.CONCAT;
                    len = 2;
                } else if (peekIs(1, '=')) {
                    kind = Kind.LE;
                    len = 2;
                } else {
                    kind = Kind.LT;
                }
            }
            case '>' -> {
                if (peekIs(1, '>') && peekIs(2, '>')) {
                    kind = Kind.BSR;
                    len = 3;
                } else if (peekIs(1, '>')) {
                    throw error("unexpected '>>'", start);
                } else if (peekIs(1, '=')) {
                    kind = Kind.GE;
                    len = 2;
                } else {
                    kind = Kind.GT;
                }
            }
            case '^' -> throw error("the pin operator ^ has nothing to pin in a guard", start);
            default -> throw error("unexpected character " + describeChar(src.codePointAt(pos)), start);
        }
        pos += len;
        return token(kind, start, null);
    }

    /**
     * {@code :erlang} (before a dot) names Erlang's module; after a map key a colon separates key
     * and value; any other {@code :name} is an atom, which no JSON value can be.
     */
    private Token colon(int start) {
        if (src.startsWith(":erlang.", pos)) {
            pos += ":erlang".length();
            return token(Kind.ERLANG, start, null);
        }
        Kind previous = out.isEmpty() ? null : out.get(out.size() - 1).kind();
        boolean afterKey = previous == Kind.STRING || previous == Kind.IDENT;
        if (!afterKey && pos + 1 < src.length() && (isIdentStart(src.charAt(pos + 1)) || src.charAt(pos + 1) == '"')) {
            throw error("atoms other than true, false and nil never occur in JSON values and are not supported",
                    start);
        }
        pos++;
        return token(Kind.COLON, start, null);
    }

    private static String describeChar(int c) {
        if (c < 0x20 || c > 0x7e) {
            return String.format("U+%04X", c);
        }
        return "'" + (char) c + "'";
    }

    private boolean peekIs(int ahead, char c) {
        return pos + ahead < src.length() && src.charAt(pos + ahead) == c;
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isAsciiDigit(c);
    }

    private Token ident(int start) {
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
            pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == '?' || src.charAt(pos) == '!') && !peekIs(1, '=')) {
            pos++;
        }
        return token(Kind.IDENT, start, null);
    }

    /** Only 0-9: Character.isDigit also accepts other scripts' digits, which no number parser reads. */
    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Token number(int start) {
        if (src.charAt(pos) == '0' && pos + 1 < src.length() && "xob".indexOf(src.charAt(pos + 1)) >= 0) {
            return radixNumber(start);
        }
        boolean isFloat = false;
        digits(10);
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && isAsciiDigit(src.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            digits(10);
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && isAsciiDigit(src.charAt(pos))) {
                isFloat = true;
                digits(10);
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
            value = integer(new BigInteger(plain));
        }
        return token(Kind.NUMBER, start, value);
    }

    private Token radixNumber(int start) {
        char kind = src.charAt(pos + 1);
        int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
        pos += 2;
        int digitsStart = pos;
        digits(radix);
        if (pos == digitsStart || (pos < src.length() && isIdentPart(src.charAt(pos)))) {
            throw error("malformed number", start);
        }
        String plain = src.substring(digitsStart, pos).replace("_", "");
        return token(Kind.NUMBER, start, integer(new BigInteger(plain, radix)));
    }

    private static JsonNode integer(BigInteger big) {
        return big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
    }

    private void digits(int radix) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c < 128 && Character.digit(c, radix) >= 0) {
                pos++;
            } else if (c == '_' && pos + 1 < src.length() && src.charAt(pos + 1) < 128
                    && Character.digit(src.charAt(pos + 1), radix) >= 0) {
                pos++;
            } else {
                return;
            }
        }
    }

    /** {@code ?a} is the integer code point of a (escapes allowed: {@code ?\n}). */
    private Token character(int start) {
        pos++;
        if (pos >= src.length()) {
            throw error("expected a character after '?'", start);
        }
        int cp;
        if (src.charAt(pos) == '\\') {
            Escaped e = escape(true);
            cp = e.codePoint;
        } else {
            cp = src.codePointAt(pos);
            pos += Character.charCount(cp);
        }
        return token(Kind.NUMBER, start, LongNode.valueOf(cp));
    }

    /** A double-quoted binary: UTF-8 text, or raw bytes where {@code \xHH} says so. */
    private Token string(int start) {
        int startLine = line;
        int startColumn = column(start);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
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
                Escaped e = escape(false);
                if (e.isByte) {
                    bytes.write(e.codePoint);
                } else if (e.codePoint >= 0) {
                    writeUtf8(bytes, e.codePoint);
                }
                continue;
            }
            int cp = src.codePointAt(pos);
            if (Character.isSurrogate((char) cp)) {
                throw error("a lone UTF-16 surrogate is no character", pos);
            }
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            writeUtf8(bytes, cp);
            pos += Character.charCount(cp);
        }
        String text = src.substring(start, pos);
        return new Token(Kind.STRING, text, Binaries.node(bytes.toByteArray()), startLine, startColumn);
    }

    /** A single-quoted charlist: the list of its code points. */
    private Token charlist(int start) {
        int startLine = line;
        int startColumn = column(start);
        ArrayNode codes = NODES.arrayNode();
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw new GuardSyntaxException(new GuardError("unterminated charlist", startLine, startColumn));
            }
            char c = src.charAt(pos);
            if (c == '\'') {
                pos++;
                break;
            }
            int cp;
            if (c == '\\') {
                Escaped e = escape(true);
                if (e.codePoint < 0) {
                    continue;
                }
                cp = e.codePoint;
            } else {
                cp = src.codePointAt(pos);
                if (Character.isSurrogate((char) cp)) {
                    throw error("a lone UTF-16 surrogate is no character", pos);
                }
                if (c == '\n') {
                    line++;
                    lineStart = pos + 1;
                }
                pos += Character.charCount(cp);
            }
            codes.add(cp);
        }
        return new Token(Kind.CHARLIST, src.substring(start, pos), codes, startLine, startColumn);
    }

    /** A code point, a raw byte ({@code isByte}), or nothing (code point -1, an escaped newline). */
    private record Escaped(int codePoint, boolean isByte) {
    }

    /**
     * Elixir's escapes: {@code \a \b \d \e \f \n \r \s \t \v \0}, {@code \xHH} (a byte; a code
     * point in charlists and {@code \x{H..}}), <code>&#92;u{H..}</code>, <code>&#92;uHHHH</code> (JSON's surrogate
     * pairs combine); any other escaped character stands for itself.
     */
    private Escaped escape(boolean codePointsOnly) {
        int at = pos;
        if (pos + 1 >= src.length()) {
            throw error("unterminated escape", at);
        }
        char e = src.charAt(pos + 1);
        pos += 2;
        return switch (e) {
            case 'a' -> new Escaped(7, false);
            case 'b' -> new Escaped(8, false);
            case 'd' -> new Escaped(127, false);
            case 'e' -> new Escaped(27, false);
            case 'f' -> new Escaped(12, false);
            case 'n' -> new Escaped('\n', false);
            case 'r' -> new Escaped('\r', false);
            case 's' -> new Escaped(' ', false);
            case 't' -> new Escaped('\t', false);
            case 'v' -> new Escaped(11, false);
            case '0' -> new Escaped(0, false);
            case '\n' -> {
                line++;
                lineStart = pos;
                yield new Escaped(-1, false);
            }
            case 'x' -> {
                if (pos < src.length() && src.charAt(pos) == '{') {
                    yield new Escaped(bracedHex(at), false);
                }
                int v = hex(at, 2, "\\x needs two hex digits");
                yield new Escaped(v, v >= 0x80 && !codePointsOnly);
            }
            case 'u' -> {
                if (pos < src.length() && src.charAt(pos) == '{') {
                    yield new Escaped(bracedHex(at), false);
                }
                int v = hex(at, 4, "\\u needs four hex digits");
                if (Character.isHighSurrogate((char) v) && src.startsWith("\\u", pos)) {
                    int save = pos;
                    pos += 2;
                    int low = hex(at, 4, "\\u needs four hex digits");
                    if (Character.isLowSurrogate((char) low)) {
                        yield new Escaped(Character.toCodePoint((char) v, (char) low), false);
                    }
                    pos = save;
                }
                if (Character.isSurrogate((char) v)) {
                    throw error("\\u" + Integer.toHexString(v) + " is a lone UTF-16 surrogate, no character", at);
                }
                yield new Escaped(v, false);
            }
            default -> {
                pos -= 1;
                int cp = src.codePointAt(pos);
                pos += Character.charCount(cp);
                yield new Escaped(cp, false);
            }
        };
    }

    private int hex(int at, int count, String message) {
        if (pos + count > src.length()) {
            throw error(message, at);
        }
        int v = 0;
        for (int i = 0; i < count; i++) {
            int d = Character.digit(src.charAt(pos + i), 16);
            if (d < 0 || src.charAt(pos + i) > 127) {
                throw error(message, at);
            }
            v = v * 16 + d;
        }
        pos += count;
        return v;
    }

    private int bracedHex(int at) {
        int close = src.indexOf('}', pos);
        if (close < 0 || close - pos - 1 < 1 || close - pos - 1 > 6) {
            throw error("expected one to six hex digits in {}", at);
        }
        pos++;
        int v = hex(at, close - pos, "expected one to six hex digits in {}");
        pos++;
        if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
            throw error("invalid or reserved Unicode code point " + Integer.toHexString(v), at);
        }
        return v;
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }
}
