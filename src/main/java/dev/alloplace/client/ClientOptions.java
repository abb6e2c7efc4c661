package dev.alloplace.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ChannelLayout;
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
 */
public record ClientOptions(
        ChannelLayout layout,
        int announceVersion,
        ObjectNode identity,
        ObjectNode avatar,
        Duration intentInterval,
        Duration requestTimeout,
        boolean mirrorState) {

    public static ClientOptions defaults(String displayName) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode identity = f.objectNode().put("display_name", displayName);
        ObjectNode avatar = f.objectNode();
        avatar.putObject("visor").put("display_name", displayName);
        avatar.putObject("transform").set("matrix", f.arrayNode()
                .add(1).add(0).add(0).add(0).add(0).add(1).add(0).add(0)
                .add(0).add(0).add(1).add(0).add(0).add(0).add(0).add(1));
        return new ClientOptions(ChannelLayout.V4, 4, identity, avatar, Duration.ofMillis(50), Duration.ofSeconds(10), true);
    }

    public ClientOptions withLayout(ChannelLayout newLayout) {
        return new ClientOptions(newLayout, newLayout.version(), identity, avatar, intentInterval, requestTimeout, mirrorState);
    }

    public ClientOptions withAnnounceVersion(int version) {
        return new ClientOptions(layout, version, identity, avatar, intentInterval, requestTimeout, mirrorState);
    }

    public ClientOptions withAvatar(ObjectNode spec) {
        return new ClientOptions(layout, announceVersion, identity, spec, intentInterval, requestTimeout, mirrorState);
    }

    public ClientOptions withIntentInterval(Duration interval) {
        return new ClientOptions(layout, announceVersion, identity, avatar, interval, requestTimeout, mirrorState);
    }

    public ClientOptions withRequestTimeout(Duration timeout) {
        return new ClientOptions(layout, announceVersion, identity, avatar, intentInterval, timeout, mirrorState);
    }

    public ClientOptions withoutMirror() {
        return new ClientOptions(layout, announceVersion, identity, avatar, intentInterval, requestTimeout, false);
    }
}
