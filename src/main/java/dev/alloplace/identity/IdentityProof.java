package dev.alloplace.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The byte strings the place and an agent sign to prove they hold their keys on one connection
 * (docs/protocol-extensions.md, "Verified identities"). Both are
 *
 * <pre>
 * label (27 ASCII bytes) | 0x00
 * | len | client nonce (16..64 bytes)
 * | len | server nonce (32 bytes)
 * | len | connection id (ASCII, the agent id, 1..64 bytes)
 * | len | place public key (32 bytes)
 * [| len | agent public key (32 bytes)]      the agent's proof only
 * </pre>
 *
 * where each {@code len} is one byte holding the length of the field after it. The labels keep
 * a signature made for one purpose from passing for the other, or for anything else.
 */
public final class IdentityProof {

    /** Domain separation of the place's signature in its {@code identity_challenge} answer. */
    public static final String PLACE_LABEL = "alloplace-identity-v1/place";
    /** Domain separation of the agent's signature in its announce. */
    public static final String AGENT_LABEL = "alloplace-identity-v1/agent";
    public static final int MIN_CLIENT_NONCE_BYTES = 16;
    public static final int MAX_CLIENT_NONCE_BYTES = 64;
    public static final int SERVER_NONCE_BYTES = 32;
    public static final int MAX_CONNECTION_ID_BYTES = 64;

    private IdentityProof() {
    }

    /** What the place signs in its answer to {@code identity_challenge}. */
    public static byte[] placeProof(byte[] clientNonce, byte[] serverNonce, String connectionId, byte[] placeKey) {
        return transcript(PLACE_LABEL, clientNonce, serverNonce, connectionId, placeKey, null);
    }

    /** What the agent signs and sends as its identity's {@code signature}. */
    public static byte[] agentProof(byte[] clientNonce, byte[] serverNonce, String connectionId, byte[] placeKey,
            byte[] agentKey) {
        if (agentKey == null) {
            throw new IllegalArgumentException("the agent's proof names the agent's key");
        }
        return transcript(AGENT_LABEL, clientNonce, serverNonce, connectionId, placeKey, agentKey);
    }

    private static byte[] transcript(String label, byte[] clientNonce, byte[] serverNonce, String connectionId,
            byte[] placeKey, byte[] agentKey) {
        byte[] connection = connectionId.getBytes(StandardCharsets.US_ASCII);
        check(clientNonce.length >= MIN_CLIENT_NONCE_BYTES && clientNonce.length <= MAX_CLIENT_NONCE_BYTES, "client nonce");
        check(serverNonce.length == SERVER_NONCE_BYTES, "server nonce");
        check(connection.length >= 1 && connection.length <= MAX_CONNECTION_ID_BYTES
                && new String(connection, StandardCharsets.US_ASCII).equals(connectionId), "connection id");
        check(placeKey.length == Ed25519.PUBLIC_KEY_BYTES, "place key");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        field(out, clientNonce);
        field(out, serverNonce);
        field(out, connection);
        field(out, placeKey);
        if (agentKey != null) {
            check(agentKey.length == Ed25519.PUBLIC_KEY_BYTES, "agent key");
            field(out, agentKey);
        }
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("the " + what + " does not fit the identity proof layout");
        }
    }
}
