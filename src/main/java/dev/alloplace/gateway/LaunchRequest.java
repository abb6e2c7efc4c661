package dev.alloplace.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A place's request to start an app, as checked by the gateway.
 *
 * @param placeUrl where the app connects, {@code alloplace://host:port} ({@code x-alloverse-server})
 * @param avatarToken what the app announces with, so the place can tell the requester it came
 * @param arguments the whole JSON object the place posted (launch arguments and the token)
 * @param launchedBy the requester's identity ({@code x-alloverse-launched-by})
 */
public record LaunchRequest(String app, String placeUrl, String avatarToken, ObjectNode arguments, ObjectNode launchedBy) {
}
