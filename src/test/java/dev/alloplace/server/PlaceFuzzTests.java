package dev.alloplace.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ParseResult;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the bodies of every place handler (entities, animations, tracks, subscriptions and
 * publications, ACL commands) as an announced agent sends them, through the whole place with
 * its standard extensions on the in-memory transport. Each input is a fresh agent; whatever it
 * spawned leaves with it. A finding is anything the place logs at ERROR (a handler, extension or
 * heartbeat that threw) or a request left unanswered. launch_app is left out: its bodies name
 * URLs the place would POST to.
 */
class PlaceFuzzTests {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> NAMES = List.of("spawn_entity", "remove_entity", "change_components",
            "list_agents", "kick_agent", "add_property_animation", "remove_property_animation", "allocate_track",
            "media_track", "subscribe", "unsubscribe", "acl_list", "acl_add", "acl_remove", "announce", "identity_challenge");
    private static final ConcurrentLinkedQueue<ILoggingEvent> ERRORS = new ConcurrentLinkedQueue<>();
    private static TestPlace place;
    private static AppenderBase<ILoggingEvent> errors;
    private static Level rootLevelBefore;

    @BeforeAll
    static void startOnce() throws Exception {
        errors = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
                    ERRORS.add(event);
                }
            }
        };
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        errors.setContext(root.getLoggerContext());
        errors.start();
        root.addAppender(errors);
        rootLevelBefore = root.getLevel();
        root.setLevel(Level.ERROR);
        place = TestPlace.builder().inMemory().set("admin.port", -1).set("place.agent_work_per_heartbeat", 100_000_000)
                .start();
    }

    /** Closes the place and gives the root logger back as it was to the classes that run after this one. */
    @AfterAll
    static void stopOnce() {
        if (place != null) {
            place.close();
        }
        if (errors != null) {
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(errors);
            errors.stop();
            root.setLevel(rootLevelBefore);
        }
        ERRORS.clear();
    }

    @FuzzTest(maxDuration = "2h")
    void interactionBodies(FuzzedDataProvider data) throws Exception {
        run(data);
    }

    /** The same target for the few seconds of live fuzzing in the normal build. */
    @FuzzTest(maxDuration = "9s")
    void briefly(FuzzedDataProvider data) throws Exception {
        run(data);
    }

    private static void run(FuzzedDataProvider data) throws Exception {
        AlloClient agent = place.connect(ClientOptions.defaults("fuzz"));
        agent.onInteraction(interaction -> {
            if (interaction.type() == InteractionType.REQUEST) {
                agent.respond(interaction, F.arrayNode().add(interaction.name()).add("ok"));
            }
        });
        try {
            Waits.await("the fuzzing agent's announce is answered", agent.announce());
            int requests = data.consumeInt(1, 6);
            for (int i = 0; i < requests && data.remainingBytes() > 0; i++) {
                ArrayNode body = F.arrayNode();
                body.add(data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(24));
                String rest = data.consumeString(data.consumeInt(0, 600));
                ParseResult<JsonNode> parsed = ProtocolJson.read(("[" + rest + "]").getBytes(StandardCharsets.UTF_8));
                if (parsed instanceof ParseResult.Success<JsonNode> ok && ok.value().isArray()) {
                    ok.value().forEach(body::add);
                } else {
                    body.add(rest);
                }
                String to = data.consumeBoolean() ? "place" : agent.avatarId();
                try {
                    Waits.await("an answer to " + body, agent.request(to, body));
                } catch (ExecutionException e) {
                    // refused or disconnected: an answer all the same
                }
            }
            Waits.await("an answer to list_agents", agent.request("place", F.arrayNode().add("list_agents")));
        } catch (ExecutionException e) {
            // kicked or refused by the place: that is a handled outcome
        } finally {
            place.leave(agent);
        }
        ILoggingEvent error = ERRORS.poll();
        if (error != null) {
            ERRORS.clear();
            IThrowableProxy thrown = error.getThrowableProxy();
            throw new IllegalStateException("the place logged an error: " + error.getFormattedMessage()
                    + (thrown == null ? "" : ": " + thrown.getClassName() + ": " + thrown.getMessage()));
        }
    }
}
