package dev.alloplace.client;

/**
 * The place's answer to a successful announce.
 *
 * @param placeKey the public key (base64url) the place proved it holds before a signed announce;
 *     null after an unsigned one
 */
public record Announced(String avatarId, String placeName, String placeKey) {

    public Announced(String avatarId, String placeName) {
        this(avatarId, placeName, null);
    }
}
