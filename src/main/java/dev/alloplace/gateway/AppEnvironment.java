package dev.alloplace.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment an app process starts with. Nothing of the gateway's own environment passes
 * but a few basics (so its token and settings never reach an app); then the catalog's
 * variables; then the launch, both as single variables and as one JSON object.
 */
public final class AppEnvironment {

    public static final String PREFIX = "ALLOAPP_";
    /** The catalog name of the app. */
    public static final String NAME = "ALLOAPP_NAME";
    /** Where to connect: {@code alloplace://host:port}. */
    public static final String PLACE_URL = "ALLOAPP_PLACE_URL";
    /** What to put in the announce's {@code spawn_avatar.avatar.token}. */
    public static final String AVATAR_TOKEN = "ALLOAPP_AVATAR_TOKEN";
    /** The JSON object the place posted: launch arguments (e.g. {@code initialLocation}) and {@code avatarToken}. */
    public static final String ARGS = "ALLOAPP_ARGS";
    /** The identity JSON of the agent that asked for the launch. */
    public static final String LAUNCHED_BY = "ALLOAPP_LAUNCHED_BY";
    /** All of the above as one JSON object: {@code app, placeUrl, avatarToken, args, launchedBy}. */
    public static final String LAUNCH = "ALLOAPP_LAUNCH";

    /** Variables of the gateway's environment an app inherits. */
    public static final List<String> PASSED_THROUGH = List.of(
            "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "JAVA_HOME");

    private AppEnvironment() {
    }

    public static Map<String, String> of(Map<String, String> gatewayEnvironment, AppSpec app, LaunchRequest launch) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : PASSED_THROUGH) {
            String value = gatewayEnvironment.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(app.environment());
        env.put(NAME, app.name());
        env.put(PLACE_URL, launch.placeUrl());
        env.put(AVATAR_TOKEN, launch.avatarToken());
        env.put(ARGS, launch.arguments().toString());
        env.put(LAUNCHED_BY, launch.launchedBy().toString());
        ObjectNode all = JsonNodeFactory.instance.objectNode()
                .put("app", app.name())
                .put("placeUrl", launch.placeUrl())
                .put("avatarToken", launch.avatarToken());
        all.set("args", launch.arguments());
        all.set("launchedBy", launch.launchedBy());
        env.put(LAUNCH, all.toString());
        return env;
    }
}
