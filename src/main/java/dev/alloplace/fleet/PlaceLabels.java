package dev.alloplace.fleet;

import dev.alloplace.protocol.ChannelLayout;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The labels a place puts on its GameServer (Agones prefixes each key with
 * {@code agones.dev/sdk-}) so allocations and operators can select by them:
 * {@code protocol-<v>=true} for every protocol version the server speaks, and
 * {@code place=<name as a label value>}.
 */
final class PlaceLabels {

    /** Kubernetes label values: at most 63 characters, alphanumerics at both ends, '-', '_' and '.' inside. */
    static final int MAX_VALUE_LENGTH = 63;

    private PlaceLabels() {
    }

    static Map<String, String> of(String placeName) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (ChannelLayout layout : ChannelLayout.values()) {
            labels.put("protocol-" + layout.version(), "true");
        }
        labels.put("place", labelValue(placeName));
        return labels;
    }

    /** {@code "Team Room #2"} becomes {@code "team-room-2"}; nothing usable becomes {@code "unnamed"}. */
    static String labelValue(String text) {
        String value = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._]+", "-");
        if (value.length() > MAX_VALUE_LENGTH) {
            value = value.substring(0, MAX_VALUE_LENGTH);
        }
        value = value.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
        return value.isEmpty() ? "unnamed" : value;
    }
}
