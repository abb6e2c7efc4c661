package dev.alloplace.place;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alloplace.protocol.Interaction;

/** Answers one kind of interaction addressed to {@code "place"}. */
@FunctionalInterface
public interface PlaceHandler {

    /**
     * Handles the interaction from {@code agent} and returns the response body for a request,
     * or null to send none (oneways, or an answer that comes later through the context).
     */
    ArrayNode handle(PlaceContext place, Agent agent, Interaction interaction);
}
