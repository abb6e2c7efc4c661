package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.place.PlaceHandlers;
import dev.alloplace.protocol.Intent;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.state.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Server-side simulation, run by the place loop every heartbeat: stick movement, pose actuation
 * and grabbing from each agent's latest intent, then property animations on every entity. It
 * also answers {@code add_property_animation} and {@code remove_property_animation}. Time comes
 * from the place clock, so tests step it by stepping the place's clock.
 */
public final class Simulation implements PlaceExtension {

    private final SimSettings settings;
    private final PropertyAnimations animations;

    public Simulation(SimSettings settings) {
        this.settings = settings;
        this.animations = new PropertyAnimations(settings);
    }

    @Override
    public void install(PlaceHandlers handlers) {
        handlers.register("add_property_animation", this::addAnimation);
        handlers.register("remove_property_animation", this::removeAnimation);
    }

    @Override
    public void tick(PlaceContext place, double serverTime, double deltaSeconds) {
        SimWorld world = new StoreSimWorld(place.world());
        AvatarMotion motion = new AvatarMotion(world, settings);
        double dt = Math.min(deltaSeconds, settings.maxStepSeconds());
        Map<String, Intent> byAvatar = new HashMap<>();
        for (Agent agent : place.agents()) {
            if (agent.announced()) {
                byAvatar.put(agent.avatarId(), agent.intent());
            }
        }
        Map<String, List<String>> posedByOwner = posedByOwner(place.world());
        for (Agent agent : place.agents()) {
            if (!agent.announced()) {
                continue;
            }
            Intent intent = agent.intent();
            motion.stickMovement(intent, dt);
            motion.actuatePoses(agent.id(), intent, posedByOwner.getOrDefault(agent.id(), List.of()),
                    avatar -> Optional.ofNullable(byAvatar.get(avatar)));
            motion.grab(intent);
        }
        animations.run(world, serverTime);
    }

    /**
     * The entities that may follow a pose (those with an {@code intent} component), by owner, from
     * the world's component index: an app holding a scene of thousands of entities costs nothing
     * here, where going through everything each agent owns cost the place a core's tenth.
     */
    private static Map<String, List<String>> posedByOwner(World world) {
        Map<String, List<String>> byOwner = new HashMap<>();
        for (String id : world.withComponent(AvatarMotion.INTENT)) {
            world.entity(id).ifPresent(entity ->
                    byOwner.computeIfAbsent(entity.owner(), owner -> new ArrayList<>(4)).add(id));
        }
        return byOwner;
    }

    private ArrayNode addAnimation(PlaceContext place, Agent agent, Interaction interaction) {
        String name = "add_property_animation";
        String entity = interaction.from();
        JsonNode spec = interaction.body().get(1);
        if (!place.world().exists(entity)) {
            return Interaction.body(name, "failed", "no such entity");
        }
        if (spec == null || !spec.isObject() || !spec.has("path") || !spec.has("from") || !spec.has("to")
                || AnimationSpec.parse(spec).isEmpty()) {
            return Interaction.body(name, "failed", "invalid argument");
        }
        if (spec.path("path").asText().length() > settings.maxAnimationPathLength()) {
            return Interaction.body(name, "failed", "invalid argument");
        }
        AnimationSpec parsed = AnimationSpec.parse(spec).orElseThrow();
        Optional<PropertyPath> target = PropertyPath.resolve(new StoreSimWorld(place.world()), entity, parsed.path(),
                settings.maxAnimationPathLength());
        if (target.isEmpty() || target.get().requiredKind() != parsed.kind()) {
            return Interaction.body(name, "failed", "invalid path " + parsed.path());
        }
        JsonNode component = place.world().entity(entity).orElseThrow().components().get(PropertyAnimations.COMPONENT);
        ObjectNode next = component instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
        JsonNode existing = next.get(PropertyAnimations.ANIMATIONS);
        ObjectNode all = existing instanceof ObjectNode object ? object : next.putObject(PropertyAnimations.ANIMATIONS);
        if (all.size() >= settings.maxAnimationsPerEntity()) {
            return Interaction.body(name, "failed", "too many animations on this entity");
        }
        String id;
        do {
            id = randomId();
        } while (all.has(id));
        all.set(id, spec.deepCopy());
        place.world().setComponent(entity, PropertyAnimations.COMPONENT, next);
        return Interaction.body(name, "ok", id);
    }

    private ArrayNode removeAnimation(PlaceContext place, Agent agent, Interaction interaction) {
        String name = "remove_property_animation";
        JsonNode id = interaction.body().get(1);
        if (id == null || !id.isTextual()) {
            return Interaction.body(name, "failed", "missing animation ID");
        }
        JsonNode component = place.world().entity(interaction.from())
                .map(entity -> entity.components().get(PropertyAnimations.COMPONENT)).orElse(null);
        if (component == null || !component.path(PropertyAnimations.ANIMATIONS).has(id.textValue())) {
            return Interaction.body(name, "failed", "can't remove that animation because it doesn't exist");
        }
        PropertyAnimations.removeAnimations(new StoreSimWorld(place.world()), interaction.from(), List.of(id.textValue()));
        return Interaction.body(name, "ok", id.textValue());
    }

    private static String randomId() {
        char[] chars = new char[8];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ('a' + ThreadLocalRandom.current().nextInt(25));
        }
        return new String(chars);
    }
}
