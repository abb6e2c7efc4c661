package dev.alloplace.state;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One recorded edit. Entity-level records ({@code component == null}) mark creation and removal;
 * component records keep the value before and after so any span of revisions can be coalesced.
 */
record Change(String entityId, String component, Kind kind, JsonNode before, JsonNode after) {

    enum Kind { CREATE_ENTITY, REMOVE_ENTITY, COMPONENT }
}
