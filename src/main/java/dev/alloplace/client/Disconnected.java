package dev.alloplace.client;

import dev.alloplace.transport.DisconnectCause;

/** How a client's connection ended; {@code data} is the reason code the place sent, if any. */
public record Disconnected(DisconnectCause cause, int data) {
}
