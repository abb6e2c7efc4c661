package dev.alloplace.client;

/** The place's answer to a successful announce. */
public record Announced(String avatarId, String placeName) {
}
