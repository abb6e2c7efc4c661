package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.alloplace.guard.Token.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Recursive-descent parser from tokens to the immutable {@link Pattern} and {@link Expr} trees,
 * with Elixir's operator precedence. Nesting is counted on the way down (and for every link of a
 * left-leaning chain), so the finished tree is never deeper than {@link GuardLimits#maxDepth()}
 * and evaluating it cannot overflow the stack.
 *
 * <pre>
 * source   = pattern { ("where" | "when") guard } EOF        several guards: any may pass
 * pattern  = term [ "=" pattern ]
 * term     = literal | ("-" | "+") number | var | "_" | string "&lt;&gt;" rest
 *          | "[" [pattern {"," pattern} ["|" pattern]] [","] "]"
 *          | ("%{" | "{") [key ("=&gt;" | ":") pattern {"," ...}] [","] "}"
 * guard    = and {("or" | "||" | "|||") and}                  loosest
 * and      = eq {("and" | "&amp;&amp;" | "&amp;&amp;&amp;") eq}
 * eq       = rel {("==" | "!=" | "===" | "!==") rel}
 * rel      = pipe {("&lt;" | "&lt;=" | "&gt;" | "&gt;=") pipe}
 * pipe     = in {("|&gt;" call | "&lt;&lt;&lt;" in | "&gt;&gt;&gt;" in)}
 * in       = concat {["not"] "in" (concat | add ".." add ["//" add])}
 * concat   = add ["&lt;&gt;" concat]                               right-associative
 * add      = mul {("+" | "-") mul}
 * mul      = unary {("*" | "/") unary}
 * unary    = ("not" | "!" | "-" | "+" | "~~~") unary | postfix  tightest; `not a in b` is `not(a in b)`
 * postfix  = primary {"[" guard "]"}
 * primary  = literal | var | call | "(" guard ")" | list | map
 * </pre>
 */
final class Parser {

    private static final Set<String> KEYWORDS = Set.of("where", "when", "and", "or", "not", "in", "true", "false",
            "nil", "null", "fn", "do", "end", "catch", "rescue", "after", "else");
    private static final Set<String> MODULES = Set.of("Kernel", "String", "Bitwise", "Integer");
    private static final Map<Kind, Builtin> EQUALITY = Map.of(Kind.EQ, Builtin.EQ, Kind.NEQ, Builtin.NEQ,
            Kind.STRICT_EQ, Builtin.STRICT_EQ, Kind.STRICT_NEQ, Builtin.STRICT_NEQ);
    private static final Map<Kind, Builtin> RELATIONAL = Map.of(Kind.LT, Builtin.LT, Kind.LE, Builtin.LE,
            Kind.GT, Builtin.GT, Kind.GE, Builtin.GE);
    private static final Map<Kind, Builtin> ADDITIVE = Map.of(Kind.PLUS, Builtin.ADD, Kind.MINUS, Builtin.SUBTRACT);
    private static final Map<Kind, Builtin> MULTIPLICATIVE = Map.of(Kind.STAR, Builtin.MULTIPLY,
            Kind.SLASH, Builtin.DIVIDE);
    /** Operators Kernel also offers as functions: {@code Kernel.+(a, b)}. */
    private static final Set<Kind> OPERATORS = Set.of(Kind.PLUS, Kind.MINUS, Kind.STAR, Kind.SLASH, Kind.EQ,
            Kind.NEQ, Kind.STRICT_EQ, Kind.STRICT_NEQ, Kind.LT, Kind.LE, Kind.GT, Kind.GE);

    private final List<Token> tokens;
    private final GuardLimits limits;
    private final HostFunctions hostFunctions;
    private final Map<String, Integer> slots = new LinkedHashMap<>();
    /** {@code not}/{@code !} nodes written without parentheses: Elixir reads {@code not a in b} as {@code not(a in b)}. */
    private final Set<Expr> bareNots = Collections.newSetFromMap(new IdentityHashMap<>());
    private int pos;
    private int depth;

    private Parser(List<Token> tokens, GuardLimits limits, HostFunctions hostFunctions) {
        this.tokens = tokens;
        this.limits = limits;
        this.hostFunctions = hostFunctions;
    }

    /** Parsed pattern, the guards (none, or alternatives of which any may pass) and variable names by slot. */
    record Parsed(Pattern pattern, List<Expr> guards, List<String> variables) {
    }

    /** A range on the right of {@code in}; it is no value of its own. */
    private record Range(Expr first, Expr last, Expr step) {
    }

    static Parsed parse(List<Token> tokens, GuardLimits limits, HostFunctions hostFunctions) {
        Parser p = new Parser(tokens, limits, hostFunctions);
        Pattern pattern = p.pattern();
        List<Expr> guards = new ArrayList<>();
        while (p.atKeyword("where") || p.atKeyword("when")) {
            p.pos++;
            guards.add(p.guard());
        }
        if (p.peek().kind() != Kind.EOF) {
            throw p.unexpected(p.peek(), guards.isEmpty() ? "'where', 'when' or end of source"
                    : "an operator, 'when' or end of source");
        }
        return new Parsed(pattern, guards, List.copyOf(p.slots.keySet()));
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
            throw unexpected(t, what);
        }
        pos++;
        return t;
    }

    private GuardSyntaxException unexpected(Token t, String expected) {
        if (t.kind() == Kind.MATCH) {
            return error(t, "unexpected '='; use '==' to compare (there is no assignment in guards)");
        }
        return error(t, "expected " + expected + ", found " + t.describe());
    }

    private GuardSyntaxException error(Token at, String message) {
        return new GuardSyntaxException(new GuardError(message, at.line(), at.column()));
    }

    private void enter(Token at) {
        if (++depth > limits.maxDepth()) {
            throw error(at, "nesting deeper than " + limits.maxDepth() + " levels");
        }
    }

    private static boolean isConstant(Expr e) {
        return e instanceof Expr.Const;
    }

    // ---- patterns

    private Pattern pattern() {
        Token t = peek();
        enter(t);
        try {
            Pattern left = patternTerm();
            if (at(Kind.MATCH)) {
                pos++;
                return new Pattern.Both(left, pattern());
            }
            return left;
        } finally {
            depth--;
        }
    }

    private Pattern patternTerm() {
        Token t = peek();
        return switch (t.kind()) {
            case STRING -> {
                pos++;
                yield at(Kind.CONCAT) ? binaryPattern(t) : literal(t.value());
            }
            case CHARLIST, NUMBER -> {
                pos++;
                yield new Pattern.Literal(t.value());
            }
            case MINUS, PLUS -> new Pattern.Literal(signedNumber());
            case LBRACKET -> listPattern();
            case LBRACE, PERCENT_LBRACE -> mapPattern();
            case IDENT -> identPattern(t);
            default -> throw unexpected(t, "a pattern");
        };
    }

    /** A literal binary that is no UTF-8 can never equal a JSON string. */
    private static Pattern literal(JsonNode value) {
        return value.isBinary() ? new Pattern.Never() : new Pattern.Literal(value);
    }

    private JsonNode signedNumber() {
        Token sign = peek();
        pos++;
        Token n = peek();
        if (n.kind() != Kind.NUMBER) {
            throw error(n, "expected a number after '" + sign.text() + "', found " + n.describe());
        }
        pos++;
        return sign.kind() == Kind.MINUS ? Numbers.negate(n.value()) : n.value();
    }

    /** {@code "prefix" <> rest}: the left of each {@code <>} a literal string; the end a variable, _ or string. */
    private Pattern binaryPattern(Token first) {
        List<JsonNode> literals = new ArrayList<>();
        literals.add(first.value());
        Pattern rest = null;
        while (at(Kind.CONCAT)) {
            pos++;
            Token t = peek();
            if (t.kind() == Kind.STRING) {
                pos++;
                literals.add(t.value());
                continue;
            }
            if (t.kind() == Kind.IDENT && !KEYWORDS.contains(t.text())) {
                rest = identPattern(t);
                if (at(Kind.CONCAT)) {
                    throw error(peek(), "the left side of <> in a pattern must be a literal string");
                }
                break;
            }
            throw unexpected(t, "a variable or a string after <> in a pattern");
        }
        JsonNode prefix = literals.get(0);
        for (int i = 1; i < literals.size(); i++) {
            prefix = Binaries.concat(prefix, literals.get(i));
        }
        if (prefix.isBinary()) {
            return new Pattern.Never();
        }
        return rest == null ? new Pattern.Literal(prefix) : new Pattern.Prefix(prefix.textValue(), rest);
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
        if (at(Kind.CONCAT)) {
            throw error(peek(), "the left side of <> in a pattern must be a literal string");
        }
        if (name.endsWith("?") || name.endsWith("!")) {
            throw error(t, "'" + name + "' is not a valid variable name");
        }
        if (name.equals("_")) {
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
                pos++;
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
        boolean elixirStyle = open.kind() == Kind.PERCENT_LBRACE;
        pos++;
        List<String> keys = new ArrayList<>();
        List<Pattern> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean impossible = false;
        while (!at(Kind.RBRACE)) {
            Token keyToken = peek();
            JsonNode key = mapKey(elixirStyle, true);
            Pattern value = pattern();
            if (!key.isTextual()) {
                impossible = true;
            } else {
                if (!seen.add(key.textValue())) {
                    throw error(keyToken, "duplicate key \"" + key.textValue() + "\" in map");
                }
                keys.add(key.textValue());
                values.add(value);
            }
            if (!at(Kind.COMMA)) {
                break;
            }
            pos++;
        }
        expect(Kind.RBRACE, "',' or '}' in map");
        return impossible ? new Pattern.Never() : new Pattern.MapOf(keys, values);
    }

    /**
     * Reads {@code "k" =>}, {@code "k":} or {@code k:} (the key "k"), and in {@code %{...}} any
     * other literal key with {@code =>}; keys that are no strings are returned as they are.
     */
    private JsonNode mapKey(boolean elixirStyle, boolean inPattern) {
        Token k = peek();
        if (k.kind() == Kind.STRING) {
            pos++;
            if (at(Kind.ARROW) || at(Kind.COLON)) {
                pos++;
                return k.value();
            }
            throw error(peek(), "expected " + (elixirStyle ? "'=>'" : "':'") + " after map key, found "
                    + peek().describe());
        }
        if (k.kind() == Kind.IDENT && peekAt(1).kind() == Kind.COLON) {
            pos += 2;
            return TextNode.valueOf(k.text());
        }
        if (elixirStyle && inPattern) {
            JsonNode literal = switch (k.kind()) {
                case NUMBER, CHARLIST -> {
                    pos++;
                    yield k.value();
                }
                case MINUS, PLUS -> signedNumber();
                case IDENT -> switch (k.text()) {
                    case "true", "false", "nil", "null" -> {
                        pos++;
                        yield k.text().equals("true") ? BooleanNode.TRUE
                                : k.text().equals("false") ? BooleanNode.FALSE : NullNode.instance;
                    }
                    default -> null;
                };
                default -> null;
            };
            if (literal != null) {
                expect(Kind.ARROW, "'=>' after map key");
                return literal;
            }
        }
        throw error(k, (inPattern && elixirStyle ? "map keys must be literals" : "map keys must be strings")
                + ", found " + k.describe());
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

    private enum Junctor { WORD, SYMBOL, BITWISE }

    /**
     * A chain of {@code or}/{@code ||}/{@code |||} (or the {@code and} family), left-associative.
     * Runs of one operator become one flat {@link Expr.Junction}, so long chains are width, not depth.
     */
    private Expr junction(boolean isAnd) {
        Expr folded = isAnd ? equality() : junction(true);
        List<Expr> run = null;
        Junctor runKind = null;
        int links = 0;
        while (true) {
            Junctor kind = junctor(isAnd);
            if (kind == null) {
                break;
            }
            Token op = peek();
            pos++;
            Expr right = isAnd ? equality() : junction(true);
            if (run != null && runKind == kind) {
                run.add(right);
                continue;
            }
            if (run != null) {
                folded = new Expr.Junction(isAnd, runKind == Junctor.WORD, run);
                run = null;
                enter(op);
                links++;
            }
            if (kind == Junctor.BITWISE) {
                enter(op);
                links++;
                folded = new Expr.Apply(isAnd ? Builtin.BAND : Builtin.BOR, List.of(folded, right));
            } else {
                run = new ArrayList<>(List.of(folded, right));
                runKind = kind;
            }
        }
        if (run != null) {
            folded = new Expr.Junction(isAnd, runKind == Junctor.WORD, run);
        }
        depth -= links;
        return folded;
    }

    private Junctor junctor(boolean isAnd) {
        if (atKeyword(isAnd ? "and" : "or")) {
            return Junctor.WORD;
        }
        if (at(isAnd ? Kind.ANDAND : Kind.OROR)) {
            return Junctor.SYMBOL;
        }
        if (at(isAnd ? Kind.BAND : Kind.BOR)) {
            return Junctor.BITWISE;
        }
        return null;
    }

    private Expr equality() {
        return chain(this::relational, EQUALITY);
    }

    private Expr relational() {
        return chain(this::pipe, RELATIONAL);
    }

    /** A left-associative chain of one precedence level: {@code a op b op c} is {@code (a op b) op c}. */
    private Expr chain(Supplier<Expr> operand, Map<Kind, Builtin> operators) {
        Expr left = operand.get();
        int links = 0;
        Builtin op;
        while ((op = operators.get(peek().kind())) != null) {
            enter(peek());
            links++;
            pos++;
            left = new Expr.Apply(op, List.of(left, operand.get()));
        }
        depth -= links;
        return left;
    }

    /** {@code |>} (the left becomes the first argument of the call on the right), {@code <<<}, {@code >>>}. */
    private Expr pipe() {
        Expr left = membership();
        int links = 0;
        while (at(Kind.PIPE_INTO) || at(Kind.BSL) || at(Kind.BSR)) {
            Token op = peek();
            pos++;
            enter(op);
            links++;
            if (op.kind() == Kind.PIPE_INTO) {
                left = pipeInto(left);
            } else {
                left = new Expr.Apply(op.kind() == Kind.BSL ? Builtin.BSL : Builtin.BSR, List.of(left, membership()));
            }
        }
        depth -= links;
        return left;
    }

    private Expr pipeInto(Expr first) {
        Token t = peek();
        String name = callName(t);
        if (name == null || !at(Kind.LPAREN)) {
            throw error(t, "the right side of |> must be a function call, as in X |> is_binary()");
        }
        List<Expr> args = new ArrayList<>();
        args.add(first);
        args.addAll(arguments());
        return resolveCall(t, name, args);
    }

    private Expr membership() {
        Expr left = concat();
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
            Object right = membershipRight();
            if (!negated && bareNots.contains(left)) {
                Expr.Apply not = (Expr.Apply) left;
                Expr rewritten = new Expr.Apply(not.fn(), List.of(in(false, not.args().get(0), right)));
                bareNots.add(rewritten);
                left = rewritten;
            } else {
                left = in(negated, left, right);
            }
        }
        depth -= links;
        return left;
    }

    private static Expr in(boolean negated, Expr element, Object right) {
        if (right instanceof Range r) {
            return range(negated, element, r);
        }
        List<Expr> items = literalList((Expr) right);
        if (items != null) {
            return new Expr.InList(negated, element, items);
        }
        return new Expr.InValue(negated, element, (Expr) right);
    }

    /** The items of a list written out in the source ([a, b], [a | [b]], 'ab'), or null. */
    private static List<Expr> literalList(Expr e) {
        if (e instanceof Expr.ListLit list) {
            return list.items();
        }
        if (e instanceof Expr.Const c && c.value().isArray()) {
            List<Expr> items = new ArrayList<>();
            c.value().forEach(v -> items.add(new Expr.Const(v)));
            return items;
        }
        if (e instanceof Expr.ConsLit cons) {
            List<Expr> rest = literalList(cons.tail());
            if (rest != null) {
                List<Expr> items = new ArrayList<>(cons.heads());
                items.addAll(rest);
                return items;
            }
        }
        return null;
    }

    /** Which of Elixir's three expansions of {@code in} a range gets depends on what is literal. */
    private static Expr range(boolean negated, Expr element, Range r) {
        BigInteger first = integerConstant(r.first());
        BigInteger last = integerConstant(r.last());
        BigInteger step = r.step() == null ? null : integerConstant(r.step());
        boolean same = first != null && first.equals(last);
        if (step == null && r.step() == null && first != null && last != null) {
            step = first.compareTo(last) <= 0 ? BigInteger.ONE : BigInteger.ONE.negate();
        }
        if (step != null) {
            return new Expr.InRange(negated, element, r.first(), r.last(), null, step, same);
        }
        return new Expr.InRange(negated, element, r.first(), r.last(), r.step(), null, false);
    }

    private static BigInteger integerConstant(Expr e) {
        return e instanceof Expr.Const c && c.value().isIntegralNumber() ? c.value().bigIntegerValue() : null;
    }

    /** The right of {@code in}: an expression, or a range {@code first..last//step}. */
    private Object membershipRight() {
        Expr first = additive();
        if (!at(Kind.DOTDOT)) {
            return concatRest(first);
        }
        Token dots = peek();
        pos++;
        Expr last = additive();
        Expr step = null;
        if (at(Kind.STEP)) {
            pos++;
            step = additive();
        }
        if (at(Kind.DOTDOT) || at(Kind.CONCAT)) {
            throw error(peek(), "unexpected " + peek().describe() + " after a range");
        }
        if ((isConstant(first) && !((Expr.Const) first).value().isIntegralNumber())
                || (isConstant(last) && !((Expr.Const) last).value().isIntegralNumber())) {
            throw error(dots, "ranges (first..last//step) expect both sides to be integers");
        }
        if (step != null && isConstant(step) && (!((Expr.Const) step).value().isIntegralNumber()
                || Numbers.big(((Expr.Const) step).value()).signum() == 0)) {
            throw error(dots, "ranges (first..last//step) expect the step to be a non-zero integer");
        }
        return new Range(first, last, step);
    }

    private Expr concat() {
        return concatRest(additive());
    }

    private Expr concatRest(Expr left) {
        if (at(Kind.DOTDOT)) {
            throw error(peek(), "a range (first..last) can only be the right side of 'in'");
        }
        if (!at(Kind.CONCAT)) {
            return left;
        }
        Token op = peek();
        pos++;
        enter(op);
        try {
            return new Expr.Apply(Builtin.CONCAT, List.of(left, concat()));
        } finally {
            depth--;
        }
    }

    private Expr additive() {
        return chain(this::multiplicative, ADDITIVE);
    }

    private Expr multiplicative() {
        return chain(this::unary, MULTIPLICATIVE);
    }

    private Expr unary() {
        Token t = peek();
        enter(t);
        try {
            if ((atKeyword("not") && !(peekAt(1).kind() == Kind.IDENT && peekAt(1).text().equals("in")))
                    || at(Kind.BANG)) {
                pos++;
                Expr not = new Expr.Apply(t.kind() == Kind.IDENT ? Builtin.NOT : Builtin.BANG, List.of(unary()));
                bareNots.add(not);
                return not;
            }
            if (at(Kind.MINUS) || at(Kind.PLUS)) {
                if (peekAt(1).kind() == Kind.NUMBER && peekAt(2).kind() != Kind.LBRACKET) {
                    return new Expr.Const(signedNumber());
                }
                pos++;
                return new Expr.Apply(t.kind() == Kind.MINUS ? Builtin.NEGATE : Builtin.PLUS, List.of(unary()));
            }
            if (at(Kind.BNOT)) {
                pos++;
                return new Expr.Apply(Builtin.BNOT, List.of(unary()));
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
            target = new Expr.Apply(Builtin.INDEX, List.of(target, key));
        }
        depth -= links;
        return target;
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case STRING, CHARLIST, NUMBER -> {
                pos++;
                return new Expr.Const(t.value());
            }
            case LPAREN -> {
                pos++;
                Expr inner = guard();
                expect(Kind.RPAREN, "')'");
                bareNots.remove(inner);
                return inner;
            }
            case LBRACKET -> {
                return listLiteral();
            }
            case LBRACE, PERCENT_LBRACE -> {
                return mapLiteral(t.kind() == Kind.PERCENT_LBRACE);
            }
            case IDENT, ERLANG -> {
                return identExpr(t);
            }
            default -> throw unexpected(t, "a value, variable or call");
        }
    }

    /**
     * The name of a call starting here ({@code f}, {@code Module.f} or {@code :erlang.f}), leaving
     * the position at its '('; null (position unchanged) if no call starts here.
     */
    private String callName(Token t) {
        if (t.kind() == Kind.ERLANG) {
            if (peekAt(1).kind() != Kind.DOT || peekAt(2).kind() != Kind.IDENT) {
                throw error(t, "expected a function name after :erlang.");
            }
            pos += 3;
            return ":erlang." + tokens.get(pos - 1).text();
        }
        if (t.kind() != Kind.IDENT) {
            return null;
        }
        if (peekAt(1).kind() == Kind.DOT && peekAt(2).kind() == Kind.IDENT
                && (MODULES.contains(t.text()) || peekAt(3).kind() == Kind.LPAREN)) {
            pos += 3;
            return t.text() + "." + tokens.get(pos - 1).text();
        }
        if (t.text().equals("Kernel") && peekAt(1).kind() == Kind.DOT && OPERATORS.contains(peekAt(2).kind())
                && peekAt(3).kind() == Kind.LPAREN) {
            pos += 3;
            return "Kernel." + tokens.get(pos - 1).text();
        }
        if (peekAt(1).kind() == Kind.LPAREN) {
            pos++;
            return t.text();
        }
        return null;
    }

    private Expr identExpr(Token t) {
        String name = t.text();
        switch (name) {
            case "true":
                pos++;
                return new Expr.Const(BooleanNode.TRUE);
            case "false":
                pos++;
                return new Expr.Const(BooleanNode.FALSE);
            case "nil", "null":
                pos++;
                return new Expr.Const(NullNode.instance);
            default:
                break;
        }
        if (KEYWORDS.contains(name)) {
            throw error(t, "unexpected keyword '" + name + "'");
        }
        String call = callName(t);
        if (call != null) {
            if (!at(Kind.LPAREN)) {
                throw error(peek(), "expected '(' after " + call);
            }
            return resolveCall(t, call, arguments());
        }
        pos++;
        if (at(Kind.DOT)) {
            Token dot = peek();
            if (peekAt(1).kind() == Kind.IDENT) {
                throw error(dot, name + "." + peekAt(1).text() + " reads an atom key in Elixir, which JSON objects"
                        + " never have; write " + name + "[\"" + peekAt(1).text() + "\"]");
            }
            throw error(dot, "'.' is only allowed in module function names like String.contains?");
        }
        if (name.equals("_")) {
            throw error(t, "'_' matches anything but binds nothing; it cannot be used in the guard");
        }
        Integer slot = slots.get(name);
        if (slot == null) {
            throw error(t, "undefined variable '" + name + "'; the pattern does not bind it");
        }
        return new Expr.Var(name, slot);
    }

    private List<Expr> arguments() {
        expect(Kind.LPAREN, "'('");
        List<Expr> args = new ArrayList<>();
        while (!at(Kind.RPAREN)) {
            args.add(guard());
            if (!at(Kind.COMMA)) {
                break;
            }
            pos++;
        }
        expect(Kind.RPAREN, "',' or ')' in call");
        return args;
    }

    private Expr resolveCall(Token nameToken, String name, List<Expr> args) {
        List<Builtin> builtins = Builtin.byName(name);
        if (!builtins.isEmpty()) {
            for (Builtin b : builtins) {
                if (b.arity == args.size()) {
                    return new Expr.Apply(b, args);
                }
            }
            String arities = builtins.stream().map(b -> Integer.toString(b.arity)).collect(Collectors.joining(" or "));
            boolean one = builtins.size() == 1 && builtins.get(0).arity == 1;
            throw error(nameToken, name + " takes " + arities + " argument" + (one ? "" : "s") + ", given "
                    + args.size());
        }
        if (name.equals("node") || name.equals("self") || name.equals("Kernel.node") || name.equals("Kernel.self")) {
            throw error(nameToken, name + "() names a node or process, which no JSON value is; it is not supported");
        }
        int arity = name.contains(".") ? -1 : hostFunctions.arity(name);
        if (arity < 0) {
            throw error(nameToken, "unknown function " + name + "/" + args.size());
        }
        if (arity != args.size()) {
            throw error(nameToken, name + " takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", given "
                    + args.size());
        }
        return new Expr.HostCall(name, args);
    }

    private Expr listLiteral() {
        pos++;
        List<Expr> items = new ArrayList<>();
        Expr tail = null;
        while (!at(Kind.RBRACKET)) {
            items.add(guard());
            if (at(Kind.PIPE)) {
                pos++;
                tail = guard();
                break;
            }
            if (!at(Kind.COMMA)) {
                break;
            }
            pos++;
        }
        expect(Kind.RBRACKET, "',' or ']' in list");
        return tail == null ? new Expr.ListLit(items) : new Expr.ConsLit(items, tail);
    }

    private Expr mapLiteral(boolean elixirStyle) {
        pos++;
        List<String> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!at(Kind.RBRACE)) {
            JsonNode key = mapKey(elixirStyle, false);
            if (!key.isTextual()) {
                throw error(peek(), "map keys in a guard must be UTF-8 strings");
            }
            keys.add(key.textValue());
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
