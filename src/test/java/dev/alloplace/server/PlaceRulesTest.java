package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.protocol.ProtocolJson;
import dev.alloplace.testing.Inbox;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Publications with guard-pattern subscriptions, and interaction ACLs, over real ENet. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class PlaceRulesTest {

    @TempDir
    Path dir;

    private static String rule(String effect, String guard) throws Exception {
        return ProtocolJson.mapper().writeValueAsString(ProtocolJson.mapper().createObjectNode()
                .put("effect", effect).put("guard", guard).put("position", 0));
    }

    @Test
    void threeSubscribersGetExactlyWhatTheirPatternsMatch(TestPlace place) throws Exception {
        AlloClient tweeter = place.join("tweeter");
        String[] patterns = {"[\"new_tweet\" | _]", "[\"new_tweet\", \"nevyn\", _]", "[_, _, Text] where String.contains?(Text, \"cat\")"};
        List<Inbox> got = new ArrayList<>();
        List<AlloClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AlloClient subscriber = place.join("s" + i);
            got.add(place.inbox(subscriber));
            place.ask(subscriber, "subscribe", patterns[i]);
            subscribers.add(subscriber);
        }
        String[][] publications = {{"new_tweet", "nevyn", "hello"}, {"new_tweet", "bob", "my cat"}, {"photo", "ann", "cat pic"}, {"noise"}};
        for (String[] body : publications) {
            place.publish(tweeter, (Object[]) body);
        }
        List<List<String>> expected = List.of(
                List.of("[\"new_tweet\",\"nevyn\",\"hello\"]", "[\"new_tweet\",\"bob\",\"my cat\"]"),
                List.of("[\"new_tweet\",\"nevyn\",\"hello\"]"),
                List.of("[\"new_tweet\",\"bob\",\"my cat\"]", "[\"photo\",\"ann\",\"cat pic\"]"));
        for (int i = 0; i < 3; i++) {
            for (String body : expected.get(i)) {
                assertThat(got.get(i).next(body, any -> true).body().toString()).as("subscriber %d", i).isEqualTo(body);
            }
        }
        place.caughtUp(tweeter, subscribers.get(0), subscribers.get(1), subscribers.get(2));
        for (int i = 0; i < 3; i++) {
            assertThat(got.get(i).bodies()).as("nothing more").isEqualTo(expected.get(i));
        }
        place.leave(subscribers.get(0));
        place.publish(tweeter, "new_tweet", "nevyn", "again");
        assertThat(got.get(1).next("the second tweet", any -> true).body().toString())
                .isEqualTo("[\"new_tweet\",\"nevyn\",\"again\"]");
        int agents = place.onPlace(p -> p.agents().size());
        assertThat(agents).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(ChannelLayout.class)
    void publicationsReachOnlyMatchingSubscribers(ChannelLayout layout, TestPlace place) throws Exception {
        AlloClient fan = place.join("fan", ClientOptions.defaults("fan").withLayout(layout));
        AlloClient other = place.join("other");
        AlloClient tweeter = place.join("tweeter");
        Inbox fanGot = place.inbox(fan);
        Inbox otherGot = place.inbox(other);

        ArrayNode subscribed = place.ask(fan, "subscribe", "[\"new_tweet\", Sender, _] where Sender == \"nevyn\"");
        assertThat(subscribed.get(0).asText()).isEqualTo("subscribe");
        String subscription = subscribed.get(1).asText();
        ArrayNode bad = place.ask(fan, "subscribe", "[\"x\", ");
        assertThat(bad.get(2).asText()).isEqualTo("invalid_pattern");
        assertThat(bad.get(3).asText()).contains("line 1, column");

        place.publish(tweeter, "new_tweet", "bob", "not this one");
        place.publish(tweeter, "new_tweet", "nevyn", "hello");

        Interaction delivered = fanGot.next("a tweet", any -> true);
        assertThat(delivered.type()).isEqualTo(InteractionType.PUBLICATION);
        assertThat(delivered.body().toString()).isEqualTo("[\"new_tweet\",\"nevyn\",\"hello\"]");
        assertThat(delivered.from()).isEqualTo(tweeter.avatarId());
        place.caughtUp(tweeter, fan, other);
        assertThat(fanGot.received()).as("bob's tweet did not match").hasSize(1);
        assertThat(otherGot.received()).as("not subscribed").isEmpty();

        assertThat(place.ask(fan, "unsubscribe", subscription).toString()).isEqualTo("[\"unsubscribe\",\"ok\"]");
        place.publish(tweeter, "new_tweet", "nevyn", "again");
        place.caughtUp(tweeter, fan);
        assertThat(fanGot.received()).as("unsubscribed").hasSize(1);
    }

    private static final String HARRY = "[\"interaction\", \"request\", SourceEntity, \"place\", _, "
            + "[\"announce\", \"version\", _, \"identity\", Identity | _]] where Identity[\"display_name\"] == \"harry\"";

    private TestPlace placeWithRules(String yaml) throws Exception {
        Path rules = Files.writeString(dir.resolve("acl.yaml"), yaml);
        return TestPlace.builder().set("acl.rules_file", rules).start();
    }

    private static String yamlQuoted(String guard) {
        return "'" + guard.replace("'", "''") + "'";
    }

    @Test
    void theReferencesHarryRuleFromTheConfigKeepsHarryOutAndTellsHimWhy() throws Exception {
        try (TestPlace place = placeWithRules("- deny: " + yamlQuoted(HARRY) + "\n")) {
            AlloClient harry = place.connect(ClientOptions.defaults("harry"));
            CompletableFuture<JsonNode> denial = new CompletableFuture<>();
            harry.onOtherCommand(denial::complete);

            ArrayNode refused = await("the place answers harry's announce", harry.request("", "place",
                    Interaction.body("announce", "version", 4, "identity", ClientOptions.defaults("harry").identity(),
                            "spawn_avatar", ClientOptions.defaults("harry").avatar())));

            assertThat(refused.toString()).isEqualTo("[\"announce\",\"error\",\"denied\"]");
            JsonNode message = await("harry is told why", denial);
            assertThat(message.get(0).asText()).isEqualTo("interaction_denied");
            assertThat(message.get(1).get(5).get(0).asText()).isEqualTo("announce");
            assertThat(message.get(2).toString()).isEqualTo("[\"deny\"," + ProtocolJson.mapper().writeValueAsString(HARRY) + "]");
            assertThat(await("harry is disconnected", harry.disconnected()).data()).isEqualTo(1005);
            int entities = place.onPlace(p -> p.world().entityCount());
            assertThat(entities).as("no avatar was spawned").isEqualTo(1);
            AlloClient sally = place.join("sally");
            assertThat(sally.avatarId()).isNotNull();
        }
    }

    @Test
    void onlyTheAdminIdentityMayChangeTheAcl() throws Exception {
        String allowAdmin = "[\"interaction\", \"request\", From, \"place\", _, [Cmd | _]] "
                + "where Cmd in [\"acl_add\", \"acl_remove\"] and identity_of(From)[\"display_name\"] == \"admin\"";
        String denyOthers = "[\"interaction\", _, _, \"place\", _, [Cmd | _]] where Cmd in [\"acl_add\", \"acl_remove\"]";
        try (TestPlace place = placeWithRules("- allow: " + yamlQuoted(allowAdmin) + "\n- deny: " + yamlQuoted(denyOthers) + "\n")) {
            AlloClient mallory = place.join("mallory");
            AlloClient admin = place.join("admin");
            CompletableFuture<JsonNode> denial = new CompletableFuture<>();
            mallory.onOtherCommand(denial::complete);

            ArrayNode refused = place.ask(mallory, "acl_add", "allow", "_", 0);

            assertThat(refused.toString()).isEqualTo("[\"acl_add\",\"error\",\"denied\"]");
            assertThat(await("mallory is told why", denial).get(0).asText()).isEqualTo("interaction_denied");
            ArrayNode list = place.ask(admin, "acl_list");
            assertThat(list.get(2)).as("unchanged").hasSize(2);
            ArrayNode added = place.ask(admin, "acl_add", "deny", "[\"interaction\", _, _, _, _, [\"lol\" | _]]");
            assertThat(added.get(1).asText()).isEqualTo("ok");
            assertThat(place.ask(admin, "acl_list").get(2)).hasSize(3);
        }
    }

    @Test
    void aDenyRuleStopsRoutingAndAgentsCannotRewriteTheRules(TestPlace place) throws Exception {
        AlloClient asker = place.join("asker");
        AlloClient target = place.join("target");
        Inbox targetGot = place.inbox(target);
        assertThat(place.admin().post("/api/acl", rule("deny",
                "[\"interaction\", _, _, To, _, [\"poke\" | _]] where To == \"" + target.avatarId() + "\"")).status())
                .isEqualTo(200);

        ArrayNode poke = place.request(asker, target.avatarId(), Interaction.body("poke", true));
        assertThat(poke.toString()).isEqualTo("[\"poke\",\"error\",\"denied\"]");
        place.caughtUp(asker, target);
        assertThat(targetGot.received()).as("nothing routed").isEmpty();
        asker.request(target.avatarId(), Interaction.body("Poke", true));
        assertThat(targetGot.next("the second request", any -> true).name()).as("a different name is a different interaction")
                .isEqualTo("Poke");

        ArrayNode sneaky = place.ask(asker, "acl_add", "allow", "_", 0);
        assertThat(sneaky.toString()).isEqualTo("[\"acl_add\",\"error\",\"denied\"]");
        JsonNode rules = place.admin().json("/api/acl");
        assertThat(rules).hasSize(2);
        String added = rules.get(0).path("id").asText();
        assertThat(place.admin().delete("/api/acl/" + added).status()).isEqualTo(200);
        asker.request(target.avatarId(), Interaction.body("poke", true));
        assertThat(targetGot.next("the third request", any -> true).name()).as("no longer denied: the target gets it")
                .isEqualTo("poke");
    }
}
