package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.alloplace.guard.Expr.CompareOp;
import dev.alloplace.guard.Token.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser from tokens to the immutable {@link Pattern} and {@link Expr} trees.
 * Nesting is counted on the way down (and for every link of a left-leaning chain), so the
 * finished tree is never deeper than {@link GuardLimits#maxDepth()} and evaluating it cannot
 * overflow the stack.
 *
 * <pre>
 * source   = pattern [ ("where" | "when") guard ] EOF
 * pattern  = literal | "-" number | var | "[" [pattern {"," pattern} ["|" pattern]] [","] "]"
 *          | ("%{" | "{") [key ("=>" | ":") pattern {"," ...}] [","] "}"
 * guard    = and {("or" | "||") and}
 * and      = eq {("and" | "&&") eq}
 * eq       = rel {("==" | "!=" | "===" | "!==") rel}
 * rel      = in {("<" | "<=" | ">" | ">=") in}
 * in       = unary {["not"] "in" unary}
 * unary    = ("not" | "!") unary | "-" number | postfix
 * postfix  = primary {"[" guard "]"}
 * primary  = literal | var | call | "(" guard ")" | list | map
 * </pre>
 */
final class Parser {

    private static final Set<String> KEYWORDS = Set.of("where", "when", "and", "or", "not", "in",
            "true", "false", "nil", "null");

    private final List<Token> tokens;
    private final GuardLimits limits;
    private final HostFunctions hostFunctions;
    private final Map<String, Integer> slots = new LinkedHashMap<>();
    private int pos;
    private int depth;

    private Parser(List<Token> tokens, GuardLimits limits, HostFunctions hostFunctions) {
        this.tokens = tokens;
        this.limits = limits;
        this.hostFunctions = hostFunctions;
    }

    /** Parsed pattern, optional guard ({@code null} if absent) and variable names by slot. */
    record Parsed(Pattern pattern, Expr guard, List<String> variables) {
    }

    static Parsed parse(List<Token> tokens, GuardLimits limits, HostFunctions hostFunctions) {
        Parser p = new Parser(tokens, limits, hostFunctions);
        Pattern pattern = p.pattern();
        Expr guard = null;
        if (p.atKeyword("where") || p.atKeyword("when")) {
            p.pos++;
            guard = p.guard();
        }
        if (p.peek().kind() != Kind.EOF) {
            Token t = p.peek();
            throw p.error(t, "expected 'where', 'when' or end of source, found " + t.describe());
        }
        return new Parsed(pattern, guard, List.copyOf(p.slots.keySet()));
    }

    // ---- helpers

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private boolean at(Kind kind) {
        return peek().kind() == kind;
    }

    private boolean atKeyword(String word) {
        Token t = peek();
        return t.kind() == Kind.IDENT && t.text().equals(word);
    }

    private Token expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        pos++;
        return t;
    }

    private GuardSyntaxException error(Token at, String message) {
        return new GuardSyntaxException(new GuardError(message, at.line(), at.column()));
    }

    private void enter(Token at) {
        if (++depth > limits.maxDepth()) {
            throw error(at, "nesting deeper than " + limits.maxDepth() + " levels");
        }
    }

    // ---- patterns

    private Pattern pattern() {
        Token t = peek();
        enter(t);
        try {
            return switch (t.kind()) {
                case STRING, NUMBER -> {
                    pos++;
                    yield new Pattern.Literal(t.value());
                }
                case MINUS -> new Pattern.Literal(negativeNumber());
                case LBRACKET -> listPattern();
                case LBRACE, PERCENT_LBRACE -> mapPattern();
                case IDENT -> identPattern(t);
                default -> throw error(t, "expected a pattern, found " + t.describe());
            };
        } finally {
            depth--;
        }
    }

    private JsonNode negativeNumber() {
        pos++;
        Token n = peek();
        if (n.kind() != Kind.NUMBER) {
            throw error(n, "expected a number after '-', found " + n.describe());
        }
        pos++;
        JsonNode v = n.value();
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() && v.longValue() != Long.MIN_VALUE
                    ? com.fasterxml.jackson.databind.node.LongNode.valueOf(-v.longValue())
                    : com.fasterxml.jackson.databind.node.BigIntegerNode.valueOf(v.bigIntegerValue().negate());
        }
        return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(-v.doubleValue());
    }

    private Pattern identPattern(Token t) {
        pos++;
        String name = t.text();
        switch (name) {
            case "true":
                return new Pattern.Literal(BooleanNode.TRUE);
            case "false":
                return new Pattern.Literal(BooleanNode.FALSE);
            case "nil", "null":
                return new Pattern.Literal(NullNode.instance);
            default:
                break;
        }
        if (KEYWORDS.contains(name)) {
            throw error(t, "'" + name + "' is a keyword and cannot be a pattern");
        }
        if (at(Kind.LPAREN) || at(Kind.DOT)) {
            throw error(t, "function calls are not allowed in patterns; use the guard after 'where'");
        }
        if (name.endsWith("?") || name.endsWith("!")) {
            throw error(t, "'" + name + "' is not a valid variable name");
        }
        if (name.startsWith("_")) {
            return new Pattern.Wildcard();
        }
        Integer slot = slots.get(name);
        if (slot == null) {
            slot = slots.size();
            slots.put(name, slot);
        }
        return new Pattern.Bind(name, slot);
    }

    private Pattern listPattern() {
        pos++;
        List<Pattern> heads = new ArrayList<>();
        Pattern tail = null;
        while (!at(Kind.RBRACKET)) {
            heads.add(pattern());
            if (at(Kind.PIPE)) {
                Token pipe = peek();
                pos++;
                if (heads.isEmpty()) {
                    throw error(pipe, "'|' needs at least one element before it");
                }
                tail = pattern();
                if (at(Kind.COMMA)) {
                    pos++;
                }
                break;
            }
            if (!at(Kind.COMMA)) {
                break;
            }
            pos++;
        }
        expect(Kind.RBRACKET, "',' or ']' in list");
        return new Pattern.ListOf(heads, tail);
    }

    private Pattern mapPattern() {
        Token open = peek();
        pos++;
        Kind close = Kind.RBRACE;
        List<String> keys = new ArrayList<>();
        List<Pattern> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (!at(close)) {
            Token keyToken = peek();
            String key = mapKey(open.kind() == Kind.PERCENT_LBRACE);
            if (!seen.add(key)) {
                throw error(keyToken, "duplicate key \"" + key + "\" in map");
            }
            keys.add(key);
            values.add(pattern());
            if (!at(Kind.COMMA)) {
                break;
            }
            pos++;
        }
        expect(close, "',' or '}' in map");
        return new Pattern.MapOf(keys, values);
    }

    /** Reads {@code "k" =>}, {@code "k":} or {@code k:} and returns the key. */
    private String mapKey(boolean elixirStyle) {
        Token k = peek();
        if (k.kind() == Kind.STRING) {
            pos++;
            if (at(Kind.ARROW) || at(Kind.COLON)) {
                pos++;
                return k.value().textValue();
            }
            throw error(peek(), "expected " + (elixirStyle ? "'=>'" : "':'") + " after map key, found "
                    + peek().describe());
        }
        if (k.kind() == Kind.IDENT && peekAt(1).kind() == Kind.COLON) {
            pos += 2;
            return k.text();
        }
        throw error(k, "map keys must be strings, found " + k.describe());
    }

    // ---- guard expressions

    private Expr guard() {
        Token t = peek();
        enter(t);
        try {
            return junction(false);
        } finally {
            depth--;
        }
    }

    private Expr junction(boolean isAnd) {
        Expr first = isAnd ? equality() : junction(true);
        List<Expr> operands = new ArrayList<>();
        operands.add(first);
        Boolean strict = null;
        int links = 0;
        while (true) {
            Boolean opStrict = junctionOperator(isAnd);
            if (opStrict == null) {
                break;
            }
            Token opToken = peek();
            pos++;
            if (strict != null && !strict.equals(opStrict)) {
                Expr group = new Expr.Junction(isAnd, strict, operands);
                operands = new ArrayList<>();
                operands.add(group);
                enter(opToken);
                links++;
            }
            strict = opStrict;
            operands.add(isAnd ? equality() : junction(true));
        }
        depth -= links;
        return strict == null ? first : new Expr.Junction(isAnd, strict, operands);
    }

    /** TRUE for the word operator, FALSE for the symbol, null when neither is next. */
    private Boolean junctionOperator(boolean isAnd) {
        if (atKeyword(isAnd ? "and" : "or")) {
            return Boolean.TRUE;
        }
        if (at(isAnd ? Kind.ANDAND : Kind.OROR)) {
            return Boolean.FALSE;
        }
        return null;
    }

    private Expr equality() {
        Expr left = relational();
        int links = 0;
        while (true) {
            CompareOp op = switch (peek().kind()) {
                case EQ -> CompareOp.EQ;
                case NEQ -> CompareOp.NEQ;
                case STRICT_EQ -> CompareOp.STRICT_EQ;
                case STRICT_NEQ -> CompareOp.STRICT_NEQ;
                default -> null;
            };
            if (op == null) {
                break;
            }
            enter(peek());
            links++;
            pos++;
            left = new Expr.Compare(op, left, relational());
        }
        depth -= links;
        return left;
    }

    private Expr relational() {
        Expr left = membership();
        int links = 0;
        while (true) {
            CompareOp op = switch (peek().kind()) {
                case LT -> CompareOp.LT;
                case LE -> CompareOp.LE;
                case GT -> CompareOp.GT;
                case GE -> CompareOp.GE;
                default -> null;
            };
            if (op == null) {
                break;
            }
            enter(peek());
            links++;
            pos++;
            left = new Expr.Compare(op, left, membership());
        }
        depth -= links;
        return left;
    }

    private Expr membership() {
        Expr left = unary();
        int links = 0;
        while (true) {
            boolean negated;
            if (atKeyword("in")) {
                negated = false;
            } else if (atKeyword("not") && peekAt(1).kind() == Kind.IDENT && peekAt(1).text().equals("in")) {
                negated = true;
            } else {
                break;
            }
            enter(peek());
            links++;
            pos += negated ? 2 : 1;
            left = new Expr.In(negated, left, unary());
        }
        depth -= links;
        return left;
    }

    private Expr unary() {
        Token t = peek();
        enter(t);
        try {
            if (atKeyword("not") || at(Kind.BANG)) {
                pos++;
                boolean word = t.kind() == Kind.IDENT;
                // Elixir reads `not x in list` as `not(x in list)`, but `!x in list` as `(!x) in list`.
                return new Expr.Not(word, word ? membership() : unary());
            }
            if (at(Kind.MINUS)) {
                return new Expr.Const(negativeNumber());
            }
            return postfix();
        } finally {
            depth--;
        }
    }

    private Expr postfix() {
        Expr target = primary();
        int links = 0;
        while (at(Kind.LBRACKET)) {
            enter(peek());
            links++;
            pos++;
            Expr key = guard();
            expect(Kind.RBRACKET, "']' after index");
            target = new Expr.Index(target, key);
        }
        depth -= links;
        return target;
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case STRING, NUMBER -> {
                pos++;
                return new Expr.Const(t.value());
            }
            case LPAREN -> {
                pos++;
                Expr inner = guard();
                expect(Kind.RPAREN, "')'");
                return inner;
            }
            case LBRACKET -> {
                return listLiteral();
            }
            case LBRACE, PERCENT_LBRACE -> {
                return mapLiteral(t.kind() == Kind.PERCENT_LBRACE);
            }
            case IDENT -> {
                return identExpr(t);
            }
            default -> throw error(t, "expected a value, variable or call, found " + t.describe());
        }
    }

    private Expr identExpr(Token t) {
        pos++;
        String name = t.text();
        switch (name) {
            case "true":
                return new Expr.Const(BooleanNode.TRUE);
            case "false":
                return new Expr.Const(BooleanNode.FALSE);
            case "nil", "null":
                return new Expr.Const(NullNode.instance);
            default:
                break;
        }
        if (KEYWORDS.contains(name)) {
            throw error(t, "unexpected keyword '" + name + "'");
        }
        if (at(Kind.DOT)) {
            Token dot = peek();
            pos++;
            Token member = peek();
            if (member.kind() != Kind.IDENT || !name.equals("String")) {
                throw error(dot, "'.' is only allowed in module function names like String.contains?");
            }
            pos++;
            name = name + "." + member.text();
            if (!at(Kind.LPAREN)) {
                throw error(peek(), "expected '(' after " + name);
            }
        }
        if (at(Kind.LPAREN)) {
            return call(t, name);
        }
        if (name.startsWith("_")) {
            throw error(t, "'" + name + "' is ignored by the pattern and cannot be used in the guard");
        }
        Integer slot = slots.get(name);
        if (slot == null) {
            throw error(t, "undefined variable '" + name + "'; the pattern does not bind it");
        }
        return new Expr.Var(name, slot);
    }

    private Expr call(Token nameToken, String name) {
        pos++;
        List<Expr> args = new ArrayList<>();
        while (!at(Kind.RPAREN)) {
            args.add(guard());
            if (!at(Kind.COMMA)) {
                break;
            }
            pos++;
        }
        expect(Kind.RPAREN, "',' or ')' in call");
        Builtin builtin = Builtin.byName(name);
        if (builtin != null) {
            if (builtin.arity != args.size()) {
                throw error(nameToken, name + " takes " + builtin.arity + " argument"
                        + (builtin.arity == 1 ? "" : "s") + ", given " + args.size());
            }
            return new Expr.BuiltinCall(builtin, args);
        }
        int arity = hostFunctions.arity(name);
        if (arity < 0) {
            throw error(nameToken, "unknown function " + name + "/" + args.size());
        }
        if (arity != args.size()) {
            throw error(nameToken, name + " takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + ", given " + args.size());
        }
        return new Expr.HostCall(name, args);
    }

    private Expr listLiteral() {
        pos++;
        List<Expr> items = new ArrayList<>();
        while (!at(Kind.RBRACKET)) {
            items.add(guard());
            if (!at(Kind.COMMA)) {
                break;
            }
            pos++;
        }
        expect(Kind.RBRACKET, "',' or ']' in list");
        return new Expr.ListLit(items);
    }

    private Expr mapLiteral(boolean elixirStyle) {
        pos++;
        List<String> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (!at(Kind.RBRACE)) {
            Token keyToken = peek();
            String key = mapKey(elixirStyle);
            if (!seen.add(key)) {
                throw error(keyToken, "duplicate key \"" + key + "\" in map");
            }
            keys.add(key);
            values.add(guard());
            if (!at(Kind.COMMA)) {
                break;
            }
            pos++;
        }
        expect(Kind.RBRACE, "',' or '}' in map");
        return new Expr.MapLit(keys, values);
    }
}
