package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One entry of {@code property_animations.animations}, read from its JSON form. The JSON stays the
 * source of truth (it is stored verbatim); this is the typed view used to evaluate it.
 *
 * @param startAt server-clock seconds when the animation begins
 * @param duration seconds per cycle
 */
record AnimationSpec(
        String path,
        JsonNode from,
        JsonNode to,
        ValueKind kind,
        double startAt,
        double duration,
        Easing easing,
        boolean repeats,
        boolean autoreverses) {

    /**
     * Reads a spec. Empty when a required key is missing or any key has the wrong type: {@code path}
     * text; {@code from}, {@code to} animatable values of the same kind; {@code start_at},
     * {@code duration} numbers; {@code easing} text; {@code repeats}, {@code autoreverses}
     * booleans. Omitted optional keys take the protocol defaults (0, 0, linear, false, false).
     */
    static Optional<AnimationSpec> parse(JsonNode spec) {
        if (spec == null || !spec.isObject()) {
            return Optional.empty();
        }
        JsonNode path = spec.get("path");
        JsonNode from = spec.get("from");
        JsonNode to = spec.get("to");
        if (path == null || !path.isTextual() || from == null || to == null) {
            return Optional.empty();
        }
        ValueKind kind = ValueKind.of(from);
        if (kind == null || kind != ValueKind.of(to)) {
            return Optional.empty();
        }
        JsonNode startAt = spec.get("start_at");
        JsonNode duration = spec.get("duration");
        JsonNode easing = spec.get("easing");
        JsonNode repeats = spec.get("repeats");
        JsonNode autoreverses = spec.get("autoreverses");
        if (!optionalNumber(startAt) || !optionalNumber(duration)
                || (easing != null && !easing.isNull() && !easing.isTextual())
                || !optionalBoolean(repeats) || !optionalBoolean(autoreverses)) {
            return Optional.empty();
        }
        return Optional.of(new AnimationSpec(
                path.textValue(),
                from,
                to,
                kind,
                number(startAt),
                number(duration),
                Easing.named(easing == null ? null : easing.textValue()),
                repeats != null && repeats.booleanValue(),
                autoreverses != null && autoreverses.booleanValue()));
    }

    private static boolean optionalNumber(JsonNode n) {
        return n == null || n.isNull() || (n.isNumber() && Double.isFinite(n.doubleValue()));
    }

    private static boolean optionalBoolean(JsonNode n) {
        return n == null || n.isNull() || n.isBoolean();
    }

    private static double number(JsonNode n) {
        return n == null || n.isNull() ? 0 : n.doubleValue();
    }
}
