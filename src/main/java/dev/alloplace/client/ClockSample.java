package dev.alloplace.client;

/**
 * One clock exchange as allonet computes it.
 *
 * @param roundTripSeconds local time between sending the request and reading the answer
 * @param serverTime the place's clock when it answered
 * @param deltaToServer what to add to the local clock to estimate the place's clock
 */
public record ClockSample(double roundTripSeconds, double serverTime, double deltaToServer) {
}
