package dev.alloplace.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alloplace.state.EntityView;
import dev.alloplace.state.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@link SimWorld} over the place's {@link World}; used on the place thread only. */
final class StoreSimWorld implements SimWorld {

    private final World world;

    StoreSimWorld(World world) {
        this.world = world;
    }

    @Override
    public boolean exists(String entityId) {
        return world.exists(entityId);
    }

    @Override
    public Optional<JsonNode> component(String entityId, String name) {
        return world.entity(entityId).map(entity -> entity.components().get(name));
    }

    @Override
    public void setComponent(String entityId, String name, JsonNode value) {
        if (world.exists(entityId)) {
            world.setComponent(entityId, name, value);
        }
    }

    @Override
    public Optional<String> owner(String entityId) {
        return world.entity(entityId).map(EntityView::owner).filter(owner -> !World.PLACE_OWNER.equals(owner));
    }

    @Override
    public Optional<String> parent(String entityId) {
        return world.entity(entityId).flatMap(EntityView::parent);
    }

    @Override
    public List<String> children(String entityId) {
        return world.childrenOf(entityId);
    }

    @Override
    public Collection<String> entitiesWith(String componentName) {
        return new ArrayList<>(world.withComponent(componentName));
    }
}
