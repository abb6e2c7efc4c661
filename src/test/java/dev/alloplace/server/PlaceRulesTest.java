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
                .header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String rule(String effect, String guard) throws Exception {
        return ProtocolJson.mapper().writeValueAsString(ProtocolJson.mapper().createObjectNode()
                .put("effect", effect).put("guard", guard).put("position", 0));
    }

    @Test
    void threeSubscribersGetExactlyWhatTheirPatternsMatch() throws Exception {
        AlloClient tweeter = place.join("tweeter", ClientOptions.defaults("tweeter"));
        String[] patterns = {"[\"new_tweet\" | _]", "[\"new_tweet\", \"nevyn\", _]", "[_, _, Text] where String.contains?(Text, \"cat\")"};
        java.util.List<BlockingQueue<String>> got = new java.util.ArrayList<>();
        java.util.List<AlloClient> subscribers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AlloClient subscriber = place.join("s" + i, ClientOptions.defaults("s" + i));
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            subscriber.onInteraction(interaction -> queue.add(interaction.body().toString()));
            subscriber.request("place", Interaction.body("subscribe", patterns[i])).get(5, TimeUnit.SECONDS);
            got.add(queue);
            subscribers.add(subscriber);
        }
        String[][] publications = {{"new_tweet", "nevyn", "hello"}, {"new_tweet", "bob", "my cat"}, {"photo", "ann", "cat pic"}, {"noise"}};
        for (String[] body : publications) {
            tweeter.send(new Interaction(InteractionType.PUBLICATION, tweeter.avatarId(), "", "", Interaction.body((Object[]) body)));
        }
        java.util.List<java.util.List<String>> expected = java.util.List.of(
                java.util.List.of("[\"new_tweet\",\"nevyn\",\"hello\"]", "[\"new_tweet\",\"bob\",\"my cat\"]"),
                java.util.List.of("[\"new_tweet\",\"nevyn\",\"hello\"]"),
                java.util.List.of("[\"new_tweet\",\"bob\",\"my cat\"]", "[\"photo\",\"ann\",\"cat pic\"]"));
        for (int i = 0; i < 3; i++) {
            for (String body : expected.get(i)) {
                assertThat(got.get(i).poll(5, TimeUnit.SECONDS)).as("subscriber %d", i).isEqualTo(body);
            }
        }
        Thread.sleep(300);
        for (BlockingQueue<String> queue : got) {
            assertThat(queue).as("nothing more").isEmpty();
        }
        subscribers.get(0).disconnect().get(5, TimeUnit.SECONDS);
        tweeter.send(new Interaction(InteractionType.PUBLICATION, tweeter.avatarId(), "", "", Interaction.body("new_tweet", "nevyn", "again")));
        assertThat(got.get(1).poll(5, TimeUnit.SECONDS)).isEqualTo("[\"new_tweet\",\"nevyn\",\"again\"]");
        assertThat(place.server().place().call(p -> p.agents().size()).get(5, TimeUnit.SECONDS)).isEqualTo(3);
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

    private static final String HARRY = "[\"interaction\", \"request\", SourceEntity, \"place\", _, "
            + "[\"announce\", \"version\", _, \"identity\", Identity | _]] where Identity[\"display_name\"] == \"harry\"";

    private TestPlace placeWithRules(String yaml) throws Exception {
        java.nio.file.Path rules = java.nio.file.Files.createTempFile("acl", ".yaml");
        java.nio.file.Files.writeString(rules, yaml);
        place.close();
        place = TestPlace.start(java.util.Map.of("acl.rules_file", rules.toString()), java.util.List.of());
        return place;
    }

    private static String yamlQuoted(String guard) {
        return "'" + guard.replace("'", "''") + "'";
    }

    @Test
    void theReferencesHarryRuleFromTheConfigKeepsHarryOutAndTellsHimWhy() throws Exception {
        placeWithRules("- deny: " + yamlQuoted(HARRY) + "\n");
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
        assertThat(message.get(2).toString()).isEqualTo("[\"deny\"," + ProtocolJson.mapper().writeValueAsString(HARRY) + "]");
        assertThat(harry.disconnected().get(5, TimeUnit.SECONDS).data()).isEqualTo(1005);
        assertThat(place.server().place().call(p -> p.world().entityCount()).get(5, TimeUnit.SECONDS))
                .as("no avatar was spawned").isEqualTo(1);
        AlloClient sally = place.join("sally", ClientOptions.defaults("sally"));
        assertThat(sally.avatarId()).isNotNull();
    }

    @Test
    void onlyTheAdminIdentityMayChangeTheAcl() throws Exception {
        String allowAdmin = "[\"interaction\", \"request\", From, \"place\", _, [Cmd | _]] "
                + "where Cmd in [\"acl_add\", \"acl_remove\"] and identity_of(From)[\"display_name\"] == \"admin\"";
        String denyOthers = "[\"interaction\", _, _, \"place\", _, [Cmd | _]] where Cmd in [\"acl_add\", \"acl_remove\"]";
        placeWithRules("- allow: " + yamlQuoted(allowAdmin) + "\n- deny: " + yamlQuoted(denyOthers) + "\n");
        AlloClient mallory = place.join("mallory", ClientOptions.defaults("mallory"));
        AlloClient admin = place.join("admin", ClientOptions.defaults("admin"));
        CompletableFuture<JsonNode> denial = new CompletableFuture<>();
        mallory.onOtherCommand(denial::complete);

        ArrayNode refused = mallory.request("place", Interaction.body("acl_add", "allow", "_", 0)).get(5, TimeUnit.SECONDS);

        assertThat(refused.toString()).isEqualTo("[\"acl_add\",\"error\",\"denied\"]");
        assertThat(denial.get(5, TimeUnit.SECONDS).get(0).asText()).isEqualTo("interaction_denied");
        ArrayNode list = admin.request("place", Interaction.body("acl_list")).get(5, TimeUnit.SECONDS);
        assertThat(list.get(2)).as("unchanged").hasSize(2);
        ArrayNode added = admin.request("place", Interaction.body("acl_add", "deny", "[\"interaction\", _, _, _, _, [\"lol\" | _]]"))
                .get(5, TimeUnit.SECONDS);
        assertThat(added.get(1).asText()).isEqualTo("ok");
        assertThat(admin.request("place", Interaction.body("acl_list")).get(5, TimeUnit.SECONDS).get(2)).hasSize(3);
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
