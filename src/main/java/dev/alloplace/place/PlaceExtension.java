package dev.alloplace.place;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.protocol.Interaction;

/**
 * A feature plugged into the place loop (simulation, media, assets, subscriptions): it may add
 * place handlers and hear about ticks, departures and binary frames. Every callback runs on the
 * place thread.
 */
public interface PlaceExtension {

    /** Registers place handlers; called once before the place starts. */
    default void install(PlaceHandlers handlers) {
    }

    /** Runs once on the place thread when the place starts, before the first heartbeat. */
    default void start(PlaceContext place) {
    }

    /** Runs once on the place thread when the place stops (flush what must persist). */
    default void stop(PlaceContext place) {
    }

    /** Runs every heartbeat before the revision is closed. */
    default void tick(PlaceContext place, double serverTime, double deltaSeconds) {
    }

    /**
     * The agent announced and its avatar exists; {@code avatarSpec} is the spec as sent
     * (including the {@code avatar} key the place does not store).
     */
    default void agentAnnounced(PlaceContext place, Agent agent, ObjectNode avatarSpec) {
    }

    /** The agent is gone; its entities are already removed. */
    default void agentLeft(PlaceContext place, Agent agent) {
    }

    /**
     * Sees every interaction before the place handles or routes it (announce included); return
     * false to stop it there (the extension has told the sender why).
     */
    default boolean admit(PlaceContext place, Agent agent, Interaction interaction) {
        return true;
    }

    /** A publication (type publication, empty receiver); return true if delivered or dropped knowingly. */
    default boolean publish(PlaceContext place, Agent agent, Interaction publication) {
        return false;
    }

    /** An entity was removed from the world (by anyone, for any reason). */
    default void entityRemoved(PlaceContext place, String entityId) {
    }

    /** A frame arrived on a media or asset channel; return true if handled. */
    default boolean frame(PlaceContext place, Agent agent, ChannelRole role, byte[] frame) {
        return false;
    }
}
