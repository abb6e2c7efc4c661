package dev.alloplace.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Random JSON values shaped like the protocol's messages (PROTOCOL.md §2.3, §3, §4, §6):
 * interactions with their bodies, entity specs and components, and odd scalars (1 and 1.0, -0.0,
 * big integers, unicode) in the places a peer could put them; plus mutations of a value, so that a
 * pattern made from one value meets near misses.
 */
final class ProtocolShapes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] IDS = {"e1", "e2", "place", "", "kqxbfmaide", "ANN0", "4fj2k3jd8s0ak2mf", "a1"};
    private static final String[] TYPES = {"request", "response", "oneway", "publication", "one-way"};
    private static final String[] STRINGS = {"", "a", "b", "ab", "abc", "harry", "nevyn", "é", "😀", "\uffff",
        "a\"b", "#{x}", "tab\t", "transform", "head", "hand/left", "cascade", "reparent", "asset:sha256:9f",
        "Announce", "announce", "caf\u0065\u0301", "🙂x", "Z", "1"};
    private static final String[] COMPONENTS = {"transform", "geometry", "material", "text", "collider",
        "relationships", "intent", "live_media", "clock", "visor", "ui"};

    private final Random r;

    ProtocolShapes(Random r) {
        this.r = r;
    }

    /** One message-shaped value. */
    JsonNode value() {
        return switch (r.nextInt(10)) {
            case 0, 1, 2, 3 -> interaction();
            case 4, 5 -> body();
            case 6 -> entity();
            case 7 -> components(1 + r.nextInt(3));
            default -> anyValue(0);
        };
    }

    JsonNode interaction() {
        return array(text("interaction"), text(pick(TYPES)), text(pick(IDS)), text(pick(IDS)),
                text(r.nextBoolean() ? "" : pick(IDS)), body());
    }

    JsonNode body() {
        return switch (r.nextInt(11)) {
            case 0 -> array(text("announce"), text("version"), number(), text("identity"),
                    object("display_name", text(pick(STRINGS))), text("spawn_avatar"), components(2));
            case 1 -> array(text("spawn_entity"), spec(1));
            case 2 -> array(text("change_components"), text(pick(IDS)), text("add_or_change"), components(2),
                    text("remove"), array(text(pick(COMPONENTS))));
            case 3 -> array(text("remove_entity"), text(pick(IDS)), text(r.nextBoolean() ? "cascade" : "reparent"));
            case 4 -> {
                ObjectNode spec = object("path", text("transform.matrix.rotation.y"), "from", number(),
                        "to", number());
                if (r.nextBoolean()) {
                    spec.set("duration", number());
                }
                yield array(text("add_property_animation"), spec);
            }
            case 5 -> array(text("new_tweet"), text(pick(STRINGS)), text(pick(STRINGS)));
            case 6 -> array(text("acl_add"), text(r.nextBoolean() ? "deny" : "allow"), text("[_] where true"));
            case 7 -> array(text("media_track"), number(), text("subscribe"));
            case 8 -> array(text("allocate_track"), text("audio"), LongNode.valueOf(48000), LongNode.valueOf(1),
                    text("opus"));
            case 9 -> array(text("list_agents"));
            default -> array(text(pick(STRINGS)), anyValue(1));
        };
    }

    JsonNode entity() {
        return object("id", text(pick(IDS)), "owner", text(pick(IDS)), "components", components(2));
    }

    JsonNode spec(int depth) {
        ObjectNode spec = components(1 + r.nextInt(2));
        if (depth > 0 && r.nextInt(3) == 0) {
            spec.set("children", array(spec(depth - 1)));
        }
        return spec;
    }

    ObjectNode components(int n) {
        ObjectNode out = NODES.objectNode();
        for (int i = 0; i < n; i++) {
            String name = pick(COMPONENTS);
            out.set(name, component(name));
        }
        return out;
    }

    private JsonNode component(String name) {
        return switch (name) {
            case "transform" -> {
                ArrayNode m = NODES.arrayNode();
                int n = r.nextInt(4) == 0 ? r.nextInt(17) : 16;
                for (int i = 0; i < n; i++) {
                    m.add(r.nextInt(4) == 0 ? number() : (i % 5 == 0 ? LongNode.valueOf(1) : LongNode.valueOf(0)));
                }
                yield object("matrix", m);
            }
            case "geometry" -> object("type", text(r.nextBoolean() ? "asset" : "hardcoded-model"),
                    "name", text(pick(STRINGS)));
            case "material" -> object("color", array(number(), number(), number(), number()));
            case "text" -> object("string", text(pick(STRINGS)), "height", number(), "halign", text("center"));
            case "collider" -> object("type", text("box"), "width", number(), "height", number(), "depth", number());
            case "relationships" -> object("parent", r.nextBoolean() ? text(pick(IDS)) : NullNode.instance);
            case "intent" -> object("actuate_pose", text(r.nextBoolean() ? "head" : "hand/left"));
            case "live_media" -> object("track_id", number(), "type", text("audio"), "format", text("opus"));
            case "clock" -> object("time", number());
            default -> anyValue(1);
        };
    }

    /** A random scalar, list or map, never deeper than 4. */
    JsonNode anyValue(int depth) {
        int kind = r.nextInt(depth > 2 ? 5 : 7);
        return switch (kind) {
            case 0 -> NullNode.instance;
            case 1 -> BooleanNode.valueOf(r.nextBoolean());
            case 2, 3 -> number();
            case 4 -> text(pick(STRINGS));
            case 5 -> {
                ArrayNode a = NODES.arrayNode();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(anyValue(depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.set(pick(STRINGS), anyValue(depth + 1));
                }
                yield o;
            }
        };
    }

    JsonNode number() {
        return switch (r.nextInt(14)) {
            case 0 -> LongNode.valueOf(0);
            case 1 -> LongNode.valueOf(1);
            case 2 -> DoubleNode.valueOf(1.0);
            case 3 -> DoubleNode.valueOf(-0.0);
            case 4 -> DoubleNode.valueOf(0.5);
            case 5 -> LongNode.valueOf(r.nextInt(21) - 10);
            case 6 -> DoubleNode.valueOf((r.nextInt(41) - 20) / 4.0);
            case 7 -> BigIntegerNode.valueOf(BigInteger.TWO.pow(64).add(BigInteger.valueOf(r.nextInt(3) - 1)));
            case 8 -> LongNode.valueOf(9007199254740993L);
            case 9 -> DoubleNode.valueOf(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            case 10 -> LongNode.valueOf(r.nextLong());
            case 11 -> DoubleNode.valueOf(2.0);
            case 12 -> LongNode.valueOf(2);
            default -> LongNode.valueOf(r.nextInt(1000));
        };
    }

    /** A copy of the value with one random part changed: a near miss, or sometimes still a match. */
    JsonNode mutate(JsonNode value) {
        JsonNode copy = value.deepCopy();
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(copy, containers);
        if (containers.isEmpty() || r.nextInt(10) == 0) {
            return variant(copy);
        }
        JsonNode target = containers.get(r.nextInt(containers.size()));
        if (target instanceof ArrayNode a) {
            int op = r.nextInt(a.isEmpty() ? 1 : 4);
            switch (op) {
                case 0 -> a.add(anyValue(2));
                case 1 -> a.remove(r.nextInt(a.size()));
                default -> {
                    int i = r.nextInt(a.size());
                    a.set(i, variant(a.get(i)));
                }
            }
        } else if (target instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            int op = r.nextInt(keys.isEmpty() ? 1 : 4);
            switch (op) {
                case 0 -> o.set(pick(STRINGS) + (r.nextBoolean() ? "" : "_x"), anyValue(2));
                case 1 -> o.remove(keys.get(r.nextInt(keys.size())));
                default -> {
                    String k = keys.get(r.nextInt(keys.size()));
                    o.set(k, variant(o.get(k)));
                }
            }
        }
        return copy;
    }

    /** The same kind of value changed a little (1 becomes 1.0 or 2, a string another string), or any value. */
    JsonNode variant(JsonNode v) {
        if (r.nextInt(4) == 0) {
            return anyValue(2);
        }
        if (v.isIntegralNumber()) {
            return r.nextBoolean() ? DoubleNode.valueOf(v.doubleValue())
                    : BigIntegerNode.valueOf(v.bigIntegerValue().add(BigInteger.ONE));
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 && r.nextBoolean() ? LongNode.valueOf((long) d)
                    : DoubleNode.valueOf(-d);
        }
        if (v.isTextual()) {
            return text(r.nextBoolean() ? pick(STRINGS) : v.textValue() + pick(STRINGS));
        }
        if (v.isBoolean()) {
            return BooleanNode.valueOf(!v.booleanValue());
        }
        if (v.isNull()) {
            return r.nextBoolean() ? BooleanNode.FALSE : NODES.arrayNode();
        }
        return anyValue(2);
    }

    private static void collectContainers(JsonNode v, List<JsonNode> out) {
        if (v.isContainerNode()) {
            out.add(v);
            Iterator<JsonNode> it = v.elements();
            while (it.hasNext()) {
                collectContainers(it.next(), out);
            }
        }
    }

    String pick(String[] from) {
        return from[r.nextInt(from.length)];
    }

    static TextNode text(String s) {
        return TextNode.valueOf(s);
    }

    static ArrayNode array(JsonNode... items) {
        ArrayNode a = NODES.arrayNode();
        for (JsonNode i : items) {
            a.add(i);
        }
        return a;
    }

    static ObjectNode object(Object... keysAndValues) {
        ObjectNode o = NODES.objectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            o.set((String) keysAndValues[i], (JsonNode) keysAndValues[i + 1]);
        }
        return o;
    }
}
