package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every entity's {@code property_animations} for one tick: applies each running animation,
 * removes finished ones from the component, and leaves invalid ones in place untouched.
 *
 * <p>Parsed specs are cached by node identity (component values are immutable, so an unchanged
 * node means an unchanged spec); the cache only keeps specs seen in the latest tick. Owned by the
 * place thread.
 */
final class PropertyAnimations {
    static final String COMPONENT = "property_animations";
    static final String ANIMATIONS = "animations";

    /** Counts of one tick's work. */
    record Counts(int applied, int finished, int invalid) {
    }

    private final PropertyAnimator animator;
    private Map<JsonNode, Optional<AnimationSpec>> cache = new IdentityHashMap<>();
    private Map<JsonNode, Optional<AnimationSpec>> nextCache = new IdentityHashMap<>();

    PropertyAnimations(SimSettings settings) {
        this.animator = new PropertyAnimator(settings);
    }

    Counts run(SimWorld world, double serverTime) {
        int applied = 0;
        int finished = 0;
        int invalid = 0;
        List<String> entities = new ArrayList<>(world.entitiesWith(COMPONENT));
        List<String> done = new ArrayList<>();
        for (String entityId : entities) {
            JsonNode anims = world.component(entityId, COMPONENT).map(c -> c.get(ANIMATIONS)).orElse(null);
            if (anims == null || !anims.isObject()) {
                continue;
            }
            done.clear();
            Iterator<Map.Entry<String, JsonNode>> it = anims.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> entry = it.next();
                Optional<AnimationSpec> spec = specOf(entry.getValue());
                PropertyAnimator.Outcome outcome = spec.isEmpty()
                        ? PropertyAnimator.Outcome.INVALID
                        : animator.apply(world, entityId, spec.get(), serverTime);
                switch (outcome) {
                    case APPLIED -> applied++;
                    case FINISHED -> {
                        finished++;
                        done.add(entry.getKey());
                    }
                    case INVALID -> invalid++;
                    case NOT_STARTED -> { }
                    default -> throw new IllegalStateException("unhandled outcome " + outcome);
                }
            }
            if (!done.isEmpty()) {
                removeAnimations(world, entityId, done);
            }
        }
        Map<JsonNode, Optional<AnimationSpec>> old = cache;
        cache = nextCache;
        nextCache = old;
        nextCache.clear();
        return new Counts(applied, finished, invalid);
    }

    private Optional<AnimationSpec> specOf(JsonNode node) {
        Optional<AnimationSpec> spec = cache.get(node);
        if (spec == null) {
            spec = nextCache.get(node);
        }
        if (spec == null) {
            spec = AnimationSpec.parse(node);
        }
        nextCache.put(node, spec);
        return spec;
    }

    /** Rewrites the component without the given animation ids (re-read: it may have changed). */
    static void removeAnimations(SimWorld world, String entityId, List<String> ids) {
        JsonNode component = world.component(entityId, COMPONENT).orElse(null);
        if (component == null || !component.isObject() || !component.path(ANIMATIONS).isObject()) {
            return;
        }
        ObjectNode animations = JsonNodeFactory.instance.objectNode();
        animations.setAll((ObjectNode) component.get(ANIMATIONS));
        animations.remove(ids);
        ObjectNode next = JsonNodeFactory.instance.objectNode();
        next.setAll((ObjectNode) component);
        next.set(ANIMATIONS, animations);
        world.setComponent(entityId, COMPONENT, next);
    }
}
