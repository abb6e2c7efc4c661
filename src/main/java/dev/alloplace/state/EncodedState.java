package dev.alloplace.state;

/**
 * One state message ready for the wire, shared by every client with the same base.
 *
 * @param patchFrom the acknowledged base of a merge patch; 0 for a set
 * @param json compact UTF-8 JSON, no terminator; never modify
 * @param contentBytes of {@code json}, the bytes that are changed data rather than framing: each
 *     component's merge-patch value with its name, each new entity, each removal's null. The
 *     ratio json.length / contentBytes is the diff efficiency (1.0 would be pure change)
 */
public record EncodedState(long revision, long patchFrom, boolean isSet, byte[] json, long contentBytes) {
}
