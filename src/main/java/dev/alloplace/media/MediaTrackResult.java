package dev.alloplace.media;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Outcome of a {@code media_track} request: {@code ["media_track","ok",id]} or
 * {@code ["media_track","failed",reason]}.
 */
public record MediaTrackResult(boolean ok, ArrayNode responseBody) {
}
