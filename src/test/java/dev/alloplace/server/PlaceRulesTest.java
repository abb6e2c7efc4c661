package dev.alloplace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.TestPlace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Publications with guard-pattern subscriptions, and interaction ACLs, over real ENet. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlaceRulesTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private TestPlace place;

    @BeforeEach
    void start() throws Exception {
        place = TestPlace.start();
    }

    @AfterEach
    void stop() {
        place.close();
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        int port = place.server().adminAddress().orElseThrow().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String rule(String effect, String guard) throws Exception {
        return ProtocolJson.mapper().writeValueAsString(ProtocolJson.mapper().createObjectNode()
                .put("effect", effect).put("guard", guard).put("position", 0));
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void publicationsReachOnlyMatchingSubscribers(ChannelLayout layout) throws Exception {
        AlloClient fan = place.join("fan", ClientOptions.defaults("fan").withLayout(layout));
        AlloClient other = place.join("other", ClientOptions.defaults("other"));
        AlloClient tweeter = place.join("tweeter", ClientOptions.defaults("tweeter"));
        BlockingQueue<Interaction> fanGot = new LinkedBlockingQueue<>();
        BlockingQueue<Interaction> otherGot = new LinkedBlockingQueue<>();
        fan.onInteraction(fanGot::add);
        other.onInteraction(otherGot::add);

        ArrayNode subscribed = fan.request("place", Interaction.body("subscribe",
                "[\"new_tweet\", Sender, _] where Sender == \"nevyn\"")).get(5, TimeUnit.SECONDS);
        assertThat(subscribed.get(0).asText()).isEqualTo("subscribe");
        String subscription = subscribed.get(1).asText();
        ArrayNode bad = fan.request("place", Interaction.body("subscribe", "[\"x\", ")).get(5, TimeUnit.SECONDS);
        assertThat(bad.get(2).asText()).isEqualTo("invalid_pattern");
        assertThat(bad.get(3).asText()).contains("line 1, column");

        tweeter.send(new Interaction(InteractionType.PUBLICATION, tweeter.avatarId(), "", "",
                Interaction.body("new_tweet", "bob", "not this one")));
        tweeter.send(new Interaction(InteractionType.PUBLICATION, tweeter.avatarId(), "", "",
                Interaction.body("new_tweet", "nevyn", "hello")));

        Interaction delivered = fanGot.poll(5, TimeUnit.SECONDS);
        assertThat(delivered.type()).isEqualTo(InteractionType.PUBLICATION);
        assertThat(delivered.body().toString()).isEqualTo("[\"new_tweet\",\"nevyn\",\"hello\"]");
        assertThat(delivered.from()).isEqualTo(tweeter.avatarId());
        assertThat(fanGot.poll(300, TimeUnit.MILLISECONDS)).as("bob's tweet did not match").isNull();
        assertThat(otherGot).as("not subscribed").isEmpty();

        assertThat(fan.request("place", Interaction.body("unsubscribe", subscription)).get(5, TimeUnit.SECONDS).toString())
                .isEqualTo("[\"unsubscribe\",\"ok\"]");
        tweeter.send(new Interaction(InteractionType.PUBLICATION, tweeter.avatarId(), "", "",
                Interaction.body("new_tweet", "nevyn", "again")));
        assertThat(fanGot.poll(300, TimeUnit.MILLISECONDS)).as("unsubscribed").isNull();
    }

    @Test
    void theReferencesHarryRuleKeepsHarryOutAndTellsHimWhy() throws Exception {
        String guard = "[\"interaction\", \"request\", SourceEntity, \"place\", _, "
                + "[\"announce\", \"version\", _, \"identity\", Identity | _]] where Identity[\"display_name\"] == \"harry\"";
        assertThat(admin("POST", "/api/acl", rule("deny", guard)).statusCode()).isEqualTo(200);
        AlloClient harry = place.connect(ClientOptions.defaults("harry"));
        CompletableFuture<JsonNode> denial = new CompletableFuture<>();
        harry.onOtherCommand(denial::complete);

        ArrayNode refused = harry.request("", "place", Interaction.body("announce", "version", 4, "identity",
                ClientOptions.defaults("harry").identity(), "spawn_avatar", ClientOptions.defaults("harry").avatar()))
                .get(5, TimeUnit.SECONDS);

        assertThat(refused.toString()).isEqualTo("[\"announce\",\"error\",\"denied\"]");
        JsonNode message = denial.get(5, TimeUnit.SECONDS);
        assertThat(message.get(0).asText()).isEqualTo("interaction_denied");
        assertThat(message.get(1).get(5).get(0).asText()).isEqualTo("announce");
        assertThat(message.get(2).toString()).isEqualTo("[\"deny\"," + ProtocolJson.mapper().writeValueAsString(guard) + "]");
        assertThat(harry.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1005);
        assertThat(place.server().place().call(p -> p.world().entityCount()).get(5, TimeUnit.SECONDS))
                .as("no avatar was spawned").isEqualTo(1);
        AlloClient sally = place.join("sally", ClientOptions.defaults("sally"));
        assertThat(sally.avatarId()).isNotNull();
    }

    @Test
    void aDenyRuleStopsRoutingAndAgentsCannotRewriteTheRules() throws Exception {
        AlloClient asker = place.join("asker", ClientOptions.defaults("asker"));
        AlloClient target = place.join("target", ClientOptions.defaults("target"));
        BlockingQueue<Interaction> targetGot = new LinkedBlockingQueue<>();
        target.onInteraction(targetGot::add);
        assertThat(admin("POST", "/api/acl", rule("deny",
                "[\"interaction\", _, _, To, _, [\"poke\" | _]] where To == \"" + target.avatarId() + "\"")).statusCode())
                .isEqualTo(200);

        ArrayNode poke = asker.request(target.avatarId(), Interaction.body("poke", true)).get(5, TimeUnit.SECONDS);
        assertThat(poke.toString()).isEqualTo("[\"poke\",\"error\",\"denied\"]");
        assertThat(targetGot.poll(300, TimeUnit.MILLISECONDS)).as("nothing routed").isNull();
        asker.request(target.avatarId(), Interaction.body("Poke", true));
        assertThat(targetGot.poll(2, TimeUnit.SECONDS).name()).as("a different name is a different interaction")
                .isEqualTo("Poke");

        ArrayNode sneaky = asker.request("place", Interaction.body("acl_add", "allow", "_", 0)).get(5, TimeUnit.SECONDS);
        assertThat(sneaky.toString()).isEqualTo("[\"acl_add\",\"error\",\"denied\"]");
        JsonNode rules = ProtocolJson.mapper().readTree(admin("GET", "/api/acl", null).body());
        assertThat(rules).hasSize(2);
        String added = rules.get(0).path("id").asText();
        assertThat(admin("DELETE", "/api/acl/" + added, null).statusCode()).isEqualTo(200);
        asker.request(target.avatarId(), Interaction.body("poke", true));
        assertThat(targetGot.poll(2, TimeUnit.SECONDS).name()).as("no longer denied: the target gets it").isEqualTo("poke");
    }
}
