package dev.alloplace.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alloplace.guard.GuardLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SubscriptionRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static String subscribed(SubscribeResult r) {
        assertThat(r).isInstanceOf(SubscribeResult.Subscribed.class);
        return ((SubscribeResult.Subscribed) r).subscriptionId();
    }

    @Test
    void threeAgentsReceiveExactlyThePublicationsTheirPatternsMatch() {
        SubscriptionRegistry<String> reg = new SubscriptionRegistry<>(PubSubSettings.defaults());
        subscribed(reg.subscribe("nevyn-fan", "[\"new_tweet\", TweetSender, _] where TweetSender == \"nevyn\""));
        subscribed(reg.subscribe("all-tweets", "[\"new_tweet\" | _]"));
        subscribed(reg.subscribe("scores", "[\"score\", %{\"points\" => P}] when is_integer(P) and P >= 100"));

        assertThat(reg.match(json("[\"new_tweet\", \"nevyn\", \"hello\"]")))
                .containsExactly("nevyn-fan", "all-tweets");
        assertThat(reg.match(json("[\"new_tweet\", \"harry\", \"hi\"]"))).containsExactly("all-tweets");
        assertThat(reg.match(json("[\"score\", {\"points\": 150, \"by\": \"x\"}]"))).containsExactly("scores");
        assertThat(reg.match(json("[\"score\", {\"points\": 99}]"))).isEmpty();
        assertThat(reg.match(json("[\"weather\", \"rain\"]"))).as("nobody matches: drop it").isEmpty();
    }

    @Test
    void nobodySubscribedMeansEveryPublicationIsDropped() {
        SubscriptionRegistry<String> reg = new SubscriptionRegistry<>(PubSubSettings.defaults());
        assertThat(reg.match(json("[\"anything\"]"))).isEmpty();
    }

    @Test
    void anAgentWithSeveralMatchingSubscriptionsGetsThePublicationOnce() {
        SubscriptionRegistry<String> reg = new SubscriptionRegistry<>(PubSubSettings.defaults());
        subscribed(reg.subscribe("a", "_"));
        subscribed(reg.subscribe("a", "[\"x\"]"));
        subscribed(reg.subscribe("b", "[\"x\"]"));
        assertThat(reg.match(json("[\"x\"]"))).containsExactly("a", "b");
    }

    @Test
    void unsubscribeRemovesOnlyTheAgentsOwnSubscription() {
        SubscriptionRegistry<String> reg = new SubscriptionRegistry<>(PubSubSettings.defaults());
        String id = subscribed(reg.subscribe("a", "[\"x\"]"));
        assertThat(reg.unsubscribe("b", id)).as("not b's to remove").isFalse();
        assertThat(reg.match(json("[\"x\"]"))).containsExactly("a");
        assertThat(reg.unsubscribe("a", id)).isTrue();
        assertThat(reg.unsubscribe("a", id)).isFalse();
        assertThat(reg.match(json("[\"x\"]"))).isEmpty();
    }

    @Test
    void subscriptionsDieWithTheirAgent() {
        SubscriptionRegistry<String> reg = new SubscriptionRegistry<>(PubSubSettings.defaults());
        subscribed(reg.subscribe("a", "_"));
        subscribed(reg.subscribe("a", "[\"x\"]"));
        subscribed(reg.subscribe("b", "_"));
        assertThat(reg.removeAgent("a")).isEqualTo(2);
        assertThat(reg.removeAgent("a")).isZero();
        assertThat(reg.match(json("[\"x\"]"))).containsExactly("b");
        assertThat(reg.size()).isEqualTo(1);
        assertThat(reg.subscriptionsOf("a")).isEmpty();
    }

    @Test
    void thePerAgentLimitIsEnforcedAndFreedByUnsubscribing() {
        SubscriptionRegistry<String> reg = new SubscriptionRegistry<>(new PubSubSettings(2, GuardLimits.defaults(), 100_000));
        String first = subscribed(reg.subscribe("a", "_"));
        subscribed(reg.subscribe("a", "_"));
        assertThat(reg.subscribe("a", "_")).isEqualTo(new SubscribeResult.Rejected("too_many_subscriptions",
                "already 2 subscriptions, the limit per agent"));
        subscribed(reg.subscribe("b", "_"));
        reg.unsubscribe("a", first);
        subscribed(reg.subscribe("a", "_"));
    }

    @Test
    void aBadPatternIsRejectedWithItsPosition() {
        SubscriptionRegistry<String> reg = new SubscriptionRegistry<>(PubSubSettings.defaults());
        assertThat(reg.subscribe("a", "[\"x\", ")).isEqualTo(new SubscribeResult.Rejected("invalid_pattern",
                "line 1, column 7: expected a pattern, found end of source"));
        assertThat(reg.size()).isZero();
    }

    @Test
    void subscriptionIdsAreUniqueAcrossAgents() {
        SubscriptionRegistry<Integer> reg = new SubscriptionRegistry<>(PubSubSettings.defaults());
        String a = subscribed(reg.subscribe(1, "_"));
        String b = subscribed(reg.subscribe(2, "_"));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theSubscribeAndUnsubscribeInteractionsAnswerAsDocumented() {
        SubscriptionRegistry<String> reg = new SubscriptionRegistry<>(PubSubSettings.defaults());
        SubscriptionCommands<String> commands = new SubscriptionCommands<>(reg);
        JsonNode answer = commands.handle("a", json("[\"subscribe\", \"[\\\"new_tweet\\\" | _]\"]"));
        assertThat(answer.size()).isEqualTo(2);
        assertThat(answer.get(0).textValue()).isEqualTo("subscribe");
        String id = answer.get(1).textValue();
        assertThat(reg.match(json("[\"new_tweet\", 1]"))).containsExactly("a");
        assertThat(commands.handle("a", json("[\"subscribe\", \"[\"]"))).isEqualTo(json(
                "[\"subscribe\", \"error\", \"invalid_pattern\", \"line 1, column 2: expected a pattern, found end of source\"]"));
        assertThat(commands.handle("a", json("[\"subscribe\", 5]")).get(2).textValue()).isEqualTo("invalid_request");
        assertThat(commands.handle("b", json("[\"unsubscribe\", \"" + id + "\"]")))
                .isEqualTo(json("[\"unsubscribe\", \"not_subscribed\"]"));
        assertThat(commands.handle("a", json("[\"unsubscribe\", \"" + id + "\"]")))
                .isEqualTo(json("[\"unsubscribe\", \"ok\"]"));
        assertThat(SubscriptionCommands.handles(json("[\"Subscribe\", \"_\"]"))).isFalse();
        assertThat(SubscriptionCommands.handles(json("{\"0\": \"subscribe\"}"))).isFalse();
    }
}
