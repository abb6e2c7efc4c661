package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;

/**
 * The compiled left-hand side: a tree of immutable nodes, each matching one JSON value and
 * binding variables into the {@link Evaluation}'s slots.
 */
sealed interface Pattern permits Pattern.Literal, Pattern.Bind, Pattern.Wildcard, Pattern.ListOf, Pattern.MapOf,
        Pattern.Both, Pattern.Prefix, Pattern.Never {

    boolean match(JsonNode value, Evaluation e);

    /** A literal value; numbers match strictly (1 does not match 1.0), as in Elixir. */
    record Literal(JsonNode value) implements Pattern {
        @Override
        public boolean match(JsonNode v, Evaluation e) {
            return JsonValues.equal(value, v, e, 0) == JsonValues.EQUAL;
        }
    }

    /** A named variable ({@code _name} too); a second occurrence must equal (strictly) what the first bound. */
    record Bind(String name, int slot) implements Pattern {
        @Override
        public boolean match(JsonNode v, Evaluation e) {
            if (!e.spend(1)) {
                return false;
            }
            JsonNode bound = e.slots[slot];
            if (bound == null) {
                e.slots[slot] = v;
                return true;
            }
            return JsonValues.equal(bound, v, e, 0) == JsonValues.EQUAL;
        }
    }

    /** {@code _}: matches anything, binds nothing. */
    record Wildcard() implements Pattern {
        @Override
        public boolean match(JsonNode v, Evaluation e) {
            return e.spend(1);
        }
    }

    /** {@code [a, b]} (exact length) or {@code [a, b | tail]} (at least the heads; tail gets the rest). */
    record ListOf(List<Pattern> heads, Pattern tail) implements Pattern {

        public ListOf {
            heads = List.copyOf(heads);
        }

        @Override
        public boolean match(JsonNode v, Evaluation e) {
            return v.isArray() && matchFrom(v, 0, e);
        }

        boolean matchFrom(JsonNode array, int offset, Evaluation e) {
            if (!e.spend(1)) {
                return false;
            }
            int rest = array.size() - offset;
            if (tail == null ? rest != heads.size() : rest < heads.size()) {
                return false;
            }
            for (int i = 0; i < heads.size(); i++) {
                if (!heads.get(i).match(array.get(offset + i), e)) {
                    return false;
                }
            }
            if (tail == null || tail instanceof Wildcard) {
                return tail == null || e.spend(1);
            }
            int tailStart = offset + heads.size();
            if (tail instanceof ListOf list) {
                return list.matchFrom(array, tailStart, e);
            }
            if (!e.spend(1 + ((array.size() - tailStart) >> 4))) {
                return false;
            }
            ArrayNode slice = JsonNodeFactory.instance.arrayNode(array.size() - tailStart);
            for (int i = tailStart; i < array.size(); i++) {
                slice.add(array.get(i));
            }
            return tail.match(slice, e);
        }
    }

    /** {@code %{"k" => P}} or {@code {"k": P}}: the value is an object holding at least these keys. */
    record MapOf(List<String> keys, List<Pattern> values) implements Pattern {

        public MapOf {
            keys = List.copyOf(keys);
            values = List.copyOf(values);
        }

        @Override
        public boolean match(JsonNode v, Evaluation e) {
            if (!v.isObject() || !e.spend(1)) {
                return false;
            }
            for (int i = 0; i < keys.size(); i++) {
                JsonNode field = v.get(keys.get(i));
                if (field == null || !values.get(i).match(field, e)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code P = Q}: both patterns match the same value. */
    record Both(Pattern left, Pattern right) implements Pattern {
        @Override
        public boolean match(JsonNode v, Evaluation e) {
            return left.match(v, e) && right.match(v, e);
        }
    }

    /** {@code "prefix" <> rest}: a string starting with the prefix; rest matches the remainder. */
    record Prefix(String prefix, Pattern rest) implements Pattern {
        @Override
        public boolean match(JsonNode v, Evaluation e) {
            if (!v.isTextual() || !e.spend(1 + (v.textValue().length() >> 6))) {
                return false;
            }
            String s = v.textValue();
            if (!s.startsWith(prefix)) {
                return false;
            }
            return rest instanceof Wildcard ? e.spend(1) : rest.match(TextNode.valueOf(s.substring(prefix.length())), e);
        }
    }

    /**
     * A pattern no JSON value can match, such as a map key that is no string ({@code %{1 => x}})
     * or a literal that is not UTF-8; its variables still exist for the guard.
     */
    record Never() implements Pattern {
        @Override
        public boolean match(JsonNode v, Evaluation e) {
            return false;
        }
    }
}
