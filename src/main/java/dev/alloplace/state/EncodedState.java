package dev.alloplace.state;

/**
 * One state message ready for the wire, shared by every client with the same base.
 *
 * @param patchFrom the acknowledged base of a merge patch; 0 for a set
 * @param json compact UTF-8 JSON, no terminator; never modify
 */
public record EncodedState(long revision, long patchFrom, boolean isSet, byte[] json) {
}
