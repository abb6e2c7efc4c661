package dev.alloplace.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.identity.IdentityKey;
import dev.alloplace.identity.KeyFile;
import dev.alloplace.protocol.ChannelLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;

/**
 * How a client joins a place.
 *
 * @param layout channel layout to connect with (5 channels for protocol 3, 6 for protocol 4)
 * @param announceVersion the version number put in the announce; normally the layout's version
 * @param identity the announce identity object, e.g. {@code {"display_name":"annie"}}
 * @param avatar the {@code spawn_avatar} entity spec
 * @param intentInterval how often the current intent (with the latest acknowledged revision) is
 *     sent; zero sends intents only when asked
 * @param requestTimeout how long a request waits for its response
 * @param mirrorState keep a mirror of the place from the diffs (normal); false only reads each
 *     diff's revision and acknowledges it, which is what a load generator with hundreds of
 *     agents on one machine can afford
 * @param identityKey the agent's key: with one, the announce asks for an identity challenge first
 *     and carries the public key and a signature, so the place reports the identity as verified;
 *     null announces an unverified identity, as allonet clients do
 * @param expectedPlaceKey the place's public key (base64url) the client insists on: a place that
 *     proves another key is refused before the announce; null takes any place (needs a key)
 */
public record ClientOptions(
        ChannelLayout layout,
        int announceVersion,
        ObjectNode identity,
        ObjectNode avatar,
        Duration intentInterval,
        Duration requestTimeout,
        boolean mirrorState,
        IdentityKey identityKey,
        String expectedPlaceKey) {

    public static ClientOptions defaults(String displayName) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode identity = f.objectNode().put("display_name", displayName);
        ObjectNode avatar = f.objectNode();
        avatar.putObject("visor").put("display_name", displayName);
        avatar.putObject("transform").set("matrix", f.arrayNode()
                .add(1).add(0).add(0).add(0).add(0).add(1).add(0).add(0)
                .add(0).add(0).add(1).add(0).add(0).add(0).add(0).add(1));
        return new ClientOptions(ChannelLayout.V4, 4, identity, avatar, Duration.ofMillis(50), Duration.ofSeconds(10), true,
                null, null);
    }

    public ClientOptions withLayout(ChannelLayout newLayout) {
        return new ClientOptions(newLayout, newLayout.version(), identity, avatar, intentInterval, requestTimeout, mirrorState,
                identityKey, expectedPlaceKey);
    }

    public ClientOptions withAnnounceVersion(int version) {
        return new ClientOptions(layout, version, identity, avatar, intentInterval, requestTimeout, mirrorState, identityKey,
                expectedPlaceKey);
    }

    public ClientOptions withIdentity(ObjectNode newIdentity) {
        return new ClientOptions(layout, announceVersion, newIdentity, avatar, intentInterval, requestTimeout, mirrorState,
                identityKey, expectedPlaceKey);
    }

    public ClientOptions withAvatar(ObjectNode spec) {
        return new ClientOptions(layout, announceVersion, identity, spec, intentInterval, requestTimeout, mirrorState,
                identityKey, expectedPlaceKey);
    }

    public ClientOptions withIntentInterval(Duration interval) {
        return new ClientOptions(layout, announceVersion, identity, avatar, interval, requestTimeout, mirrorState, identityKey,
                expectedPlaceKey);
    }

    public ClientOptions withRequestTimeout(Duration timeout) {
        return new ClientOptions(layout, announceVersion, identity, avatar, intentInterval, timeout, mirrorState, identityKey,
                expectedPlaceKey);
    }

    public ClientOptions withoutMirror() {
        return new ClientOptions(layout, announceVersion, identity, avatar, intentInterval, requestTimeout, false, identityKey,
                expectedPlaceKey);
    }

    /** Announces with this key, proven to the place (see {@link #identityKey()}). */
    public ClientOptions withIdentityKey(IdentityKey key) {
        return new ClientOptions(layout, announceVersion, identity, avatar, intentInterval, requestTimeout, mirrorState, key,
                expectedPlaceKey);
    }

    /** Announces with a JDK Ed25519 key pair, proven to the place. */
    public ClientOptions withKeyPair(KeyPair pair) {
        return withIdentityKey(IdentityKey.of(pair));
    }

    /** Announces with the key in an alloplace key file ({@code alloplace identity generate}). */
    public ClientOptions withKeyFile(Path file) {
        try {
            return withIdentityKey(KeyFile.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Joins only a place that proves this public key (base64url). */
    public ClientOptions withExpectedPlaceKey(String placeKey) {
        return new ClientOptions(layout, announceVersion, identity, avatar, intentInterval, requestTimeout, mirrorState,
                identityKey, placeKey);
    }
}
