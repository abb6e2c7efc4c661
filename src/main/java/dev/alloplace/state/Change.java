package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One recorded edit. Entity-level records ({@code component == null}) mark creation and removal;
 * component records keep the value before and after so any span of revisions can be coalesced,
 * and whether the edit kept the value's shape ({@link MergePatch#keepsShape}), so a patch that
 * replaces the value whole after this edit stays right for a base before it.
 */
record Change(String entityId, String component, Kind kind, JsonNode before, JsonNode after, boolean keepsShape) {

    Change(String entityId, String component, Kind kind, JsonNode before, JsonNode after) {
        this(entityId, component, kind, before, after, false);
    }

    enum Kind { CREATE_ENTITY, REMOVE_ENTITY, COMPONENT }
}
