package dev.alloplace.acl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.alloplace.guard.GuardLimits;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AclTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The "harry" rule, written against the real announce body layout (PROTOCOL.md §3). */
    static final String HARRY = "[\"interaction\", \"request\", SourceEntity, \"place\", _, "
            + "[\"announce\", \"version\", _, \"identity\", Identity | _]] where Identity[\"display_name\"] == \"harry\"";

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static ArrayNode announce(String displayName) {
        return InteractionView.of("request", "", "place", "ANN0", json("""
                ["announce", "version", 4, "identity", {"display_name": "%s"},
                 "spawn_avatar", {"visor": {"display_name": "%s"}, "children": []}]
                """.formatted(displayName, displayName)));
    }

    @Test
    void harryCannotJoinButAnnieCanAndTheDenialNamesTheRule() {
        Acl acl = new Acl(AclSettings.defaults());
        AclChange change = acl.add(AclEffect.DENY, HARRY);
        assertThat(change).isInstanceOf(AclChange.Added.class);

        AclDecision harry = acl.decide(announce("harry"));
        assertThat(harry.allowed()).isFalse();
        AclRule rule = ((AclChange.Added) change).rule();
        assertThat(harry.rule()).isEqualTo(rule);
        assertThat(((AclDecision.Denied) harry).denialMessage(announce("harry")))
                .isEqualTo(JsonNodeFactory.instance.arrayNode().add("interaction_denied").add(announce("harry"))
                        .add(JsonNodeFactory.instance.arrayNode().add("deny").add(HARRY)));

        AclDecision annie = acl.decide(announce("annie"));
        assertThat(annie.allowed()).isTrue();
        assertThat(annie.rule().id()).isEqualTo(AclRule.DEFAULT_ID);
    }

    @Test
    void theFirstMatchingRuleWinsSoOrderDecides() {
        Acl acl = new Acl(AclSettings.defaults());
        String anyAnnounce = "[\"interaction\", _, _, _, _, [\"announce\" | _]]";
        acl.add(AclEffect.DENY, HARRY);
        acl.add(0, AclEffect.ALLOW, anyAnnounce);
        assertThat(acl.rules()).extracting(AclRule::effect).containsExactly(AclEffect.ALLOW, AclEffect.DENY);
        assertThat(acl.decide(announce("harry")).allowed()).as("allow-all placed first shadows the deny").isTrue();

        String allowId = acl.rules().get(0).id();
        assertThat(acl.remove(allowId)).isTrue();
        assertThat(acl.decide(announce("harry")).allowed()).isFalse();
        assertThat(acl.remove(allowId)).as("removing twice").isFalse();
    }

    @Test
    void aDenyByDefaultPlaceLetsOnlyWhatIsAllowedAndNamesTheDefaultInDenials() {
        Acl acl = new Acl(new AclSettings(16, AclEffect.DENY, GuardLimits.defaults()));
        acl.add(AclEffect.ALLOW, "[\"interaction\", \"request\", \"\", \"place\", _, [\"announce\" | _]]");
        assertThat(acl.decide(announce("anyone")).allowed()).isTrue();
        AclDecision other = acl.decide(InteractionView.of("request", "e1", "place", "1", json("[\"spawn_entity\", {}]")));
        assertThat(other).isInstanceOf(AclDecision.Denied.class);
        assertThat(other.rule().id()).isEqualTo("default");
        assertThat(other.rule().toWire()).isEqualTo(json("[\"deny\", \"_\"]"));
    }

    @Test
    void ruleTextIsCaseSensitiveSoCaseTricksDoNotMatchOtherInteractions() {
        Acl acl = new Acl(AclSettings.defaults());
        acl.add(AclEffect.DENY, "[\"interaction\", _, _, \"place\", _, [\"spawn_entity\" | _]]");
        assertThat(acl.decide(InteractionView.of("request", "e", "place", "1", json("[\"spawn_entity\", {}]")))
                .allowed()).isFalse();
        assertThat(acl.decide(InteractionView.of("request", "e", "place", "1", json("[\"Spawn_Entity\", {}]")))
                .allowed()).as("a different name is a different interaction (the place does not know it either)")
                .isTrue();
        assertThat(acl.decide(InteractionView.of("oneway", "e", "place", "", json("[\"spawn_entity\", {}]")))
                .allowed()).as("the type is a wildcard in this rule: oneway is caught too").isFalse();
    }

    @Test
    void nestingTheBodyOrChangingTypesDoesNotSlipPastARuleWrittenWithVariables() {
        Acl acl = new Acl(AclSettings.defaults());
        acl.add(AclEffect.DENY, "[\"interaction\", _, _, _, _, [Name | _]] when Name in [\"spawn_entity\", \"remove_entity\"]");
        assertThat(acl.decide(InteractionView.of("request", "e", "place", "1", json("[\"remove_entity\", \"x\"]")))
                .allowed()).isFalse();
        assertThat(acl.decide(InteractionView.of("request", "e", "place", "1", json("[[\"remove_entity\"], \"x\"]")))
                .allowed()).as("a nested name is not an interaction name the place would run").isTrue();
        assertThat(acl.decide(InteractionView.of("request", "e", "place", "1", json("{\"0\": \"remove_entity\"}")))
                .allowed()).isTrue();
        assertThat(acl.decide(InteractionView.of("request", null, null, null, json("[\"spawn_entity\"]")))
                .allowed()).as("null header fields read as empty strings, not as holes").isFalse();
    }

    @Test
    void aDenyRuleWhoseGuardErrsDoesNotMatchAsInElixir() {
        Acl acl = new Acl(AclSettings.defaults());
        acl.add(AclEffect.DENY, "[\"interaction\", _, _, _, _, [\"announce\", _, _, _, Id | _]] where Id[\"display_name\"] == \"harry\"");
        ArrayNode oddIdentity = InteractionView.of("request", "", "place", "ANN0",
                json("[\"announce\", \"version\", 4, \"identity\", 17, \"spawn_avatar\", {}]"));
        assertThat(acl.decide(oddIdentity).allowed())
                .as("identity is not a map: guard error, rule does not match; write allow-lists for strictness")
                .isTrue();
    }

    @Test
    void onlyTheAdminIdentityMayChangeTheAcl() {
        Acl acl = new Acl(AclSettings.defaults());
        acl.add(AclEffect.ALLOW, "[\"interaction\", \"request\", From, \"place\", _, [Cmd | _]] "
                + "where Cmd in [\"acl_add\", \"acl_remove\"] and identity_of(From)[\"display_name\"] == \"admin\"");
        acl.add(AclEffect.DENY, "[\"interaction\", _, _, \"place\", _, [Cmd | _]] "
                + "where Cmd in [\"acl_add\", \"acl_remove\"]");
        AclWorld world = new AclWorld() {
            @Override
            public Optional<String> ownerOf(String entityId) {
                return Optional.ofNullable(Map.of("admin-avatar", "agent-1", "guest-avatar", "agent-2",
                        "place", "place").get(entityId));
            }

            @Override
            public Optional<JsonNode> identityOf(String agentId) {
                return Optional.ofNullable(Map.of("agent-1", json("{\"display_name\": \"admin\"}"),
                        "agent-2", json("{\"display_name\": \"guest\"}")).get(agentId));
            }
        };
        JsonNode addBody = json("[\"acl_add\", \"allow\", \"_\"]");
        assertThat(acl.decide(InteractionView.of("request", "admin-avatar", "place", "1", addBody), world).allowed())
                .isTrue();
        assertThat(acl.decide(InteractionView.of("request", "guest-avatar", "place", "1", addBody), world).allowed())
                .isFalse();
        assertThat(acl.decide(InteractionView.of("request", "nobody", "place", "1", addBody), world).allowed())
                .as("unknown entity: helper errs, allow rule fails, deny rule catches it").isFalse();
        assertThat(acl.decide(InteractionView.of("request", "guest-avatar", "place", "1", json("[\"acl_list\"]")),
                world).allowed()).isTrue();
    }

    @Test
    void ownershipHelpersAnswerFromTheWorld() {
        Acl acl = new Acl(AclSettings.defaults());
        acl.add(AclEffect.DENY, "[\"interaction\", _, From, \"place\", _, [\"change_components\", E | _]] "
                + "where is_place_owned(E) or agent_of(E) != agent_of(From)");
        AclWorld world = new AclWorld() {
            @Override
            public Optional<String> ownerOf(String entityId) {
                return Optional.ofNullable(Map.of("a1", "agent-a", "a2", "agent-a", "b1", "agent-b",
                        "lobby", "place").get(entityId));
            }

            @Override
            public Optional<JsonNode> identityOf(String agentId) {
                return Optional.empty();
            }
        };
        assertThat(acl.decide(change("a1", "a2"), world).allowed()).isTrue();
        assertThat(acl.decide(change("a1", "b1"), world).allowed()).isFalse();
        assertThat(acl.decide(change("a1", "lobby"), world).allowed()).isFalse();
        assertThat(AclFunctions.environment(world).call("owner_of", new JsonNode[] {json("\"lobby\"")}))
                .isEqualTo(json("\"place\""));
        assertThat(AclFunctions.environment(world).call("agent_of", new JsonNode[] {json("\"lobby\"")}).isNull())
                .isTrue();
        assertThat(AclFunctions.environment(world).call("owner_of", new JsonNode[] {json("3")})).isNull();
    }

    @Test
    void verifiedKeyOfAndIsOwnerAnswerOnlyForProvenKeys() {
        AclWorld world = new AclWorld() {
            @Override
            public Optional<String> ownerOf(String entityId) {
                return Optional.ofNullable(Map.of("owner-avatar", "agent-o", "guest-avatar", "agent-g", "anon-avatar", "agent-a",
                        "lobby", "place").get(entityId));
            }

            @Override
            public Optional<JsonNode> identityOf(String agentId) {
                return Optional.empty();
            }

            @Override
            public Optional<String> verifiedKeyOf(String agentId) {
                return Optional.ofNullable(Map.of("agent-o", "OWNER", "agent-g", "GUEST").get(agentId));
            }

            @Override
            public boolean isOwnerKey(String publicKey) {
                return "OWNER".equals(publicKey);
            }
        };
        var helpers = AclFunctions.environment(world);
        assertThat(helpers.call("verified_key_of", new JsonNode[] {json("\"guest-avatar\"")})).isEqualTo(json("\"GUEST\""));
        assertThat(helpers.call("verified_key_of", new JsonNode[] {json("\"anon-avatar\"")}).isNull()).as("unverified: nil").isTrue();
        assertThat(helpers.call("verified_key_of", new JsonNode[] {json("\"lobby\"")}).isNull()).isTrue();
        assertThat(helpers.call("verified_key_of", new JsonNode[] {json("\"nobody\"")})).as("no such entity: an error").isNull();
        assertThat(helpers.call("is_owner", new JsonNode[] {json("\"owner-avatar\"")})).isEqualTo(json("true"));
        assertThat(helpers.call("is_owner", new JsonNode[] {json("\"guest-avatar\"")})).isEqualTo(json("false"));
        assertThat(helpers.call("is_owner", new JsonNode[] {json("\"anon-avatar\"")})).isEqualTo(json("false"));
        assertThat(helpers.call("is_owner", new JsonNode[] {json("\"lobby\"")})).isEqualTo(json("false"));

        Acl acl = new Acl(AclSettings.defaults());
        acl.add(AclEffect.ALLOW, "[\"interaction\", _, From, \"place\", _, [\"kick_agent\" | _]] where is_owner(From)");
        acl.add(AclEffect.DENY, "[\"interaction\", _, From, \"place\", _, [\"kick_agent\" | _]] "
                + "where verified_key_of(From) not in [\"GUEST\"]");
        JsonNode kick = json("[\"kick_agent\", \"x\"]");
        assertThat(acl.decide(InteractionView.of("request", "owner-avatar", "place", "1", kick), world).allowed()).isTrue();
        assertThat(acl.decide(InteractionView.of("request", "guest-avatar", "place", "1", kick), world).allowed()).isTrue();
        assertThat(acl.decide(InteractionView.of("request", "anon-avatar", "place", "1", kick), world).allowed())
                .as("nil is not in the list").isFalse();
    }

    private static ArrayNode change(String from, String entity) {
        return InteractionView.of("request", from, "place", "9",
                json("[\"change_components\", \"" + entity + "\", \"add_or_change\", {}, \"remove\", []]"));
    }

    @Test
    void addingRefusesBadSourcesPositionsAndTooManyRules() {
        Acl acl = new Acl(new AclSettings(2, AclEffect.ALLOW, GuardLimits.defaults()));
        assertThat(acl.add(AclEffect.DENY, "[unclosed")).isEqualTo(new AclChange.Rejected(new AclError(
                "invalid_rule", "line 1, column 10: expected ',' or ']' in list, found end of source")));
        assertThat(acl.add(AclEffect.DENY, "X where frob(X)")).isInstanceOf(AclChange.Rejected.class);
        assertThat(acl.add(5, AclEffect.DENY, "_")).isEqualTo(new AclChange.Rejected(
                new AclError("invalid_position", "position 5 is outside 0..0")));
        assertThat(acl.add(AclEffect.DENY, "_")).isInstanceOf(AclChange.Added.class);
        assertThat(acl.add(AclEffect.DENY, "_")).isInstanceOf(AclChange.Added.class);
        assertThat(acl.add(AclEffect.DENY, "_")).isEqualTo(new AclChange.Rejected(
                new AclError("too_many_rules", "the ACL already holds 2 rules, the limit")));
        assertThat(acl.rules()).extracting(AclRule::id).containsExactly("rule-1", "rule-2");
    }

    @Test
    void restoredIdsAreKeptAndNewIdsNeverCollideWithThem() {
        Acl acl = new Acl(AclSettings.defaults());
        assertThat(acl.restore("rule-7", AclEffect.DENY, "_")).isInstanceOf(AclChange.Added.class);
        assertThat(acl.restore("rule-7", AclEffect.DENY, "_")).isInstanceOf(AclChange.Rejected.class);
        assertThat(acl.restore("default", AclEffect.DENY, "_")).isInstanceOf(AclChange.Rejected.class);
        AclChange next = acl.add(AclEffect.ALLOW, "_");
        assertThat(((AclChange.Added) next).rule().id()).isEqualTo("rule-8");
    }

    @Test
    void effectsParseOnlyInLowerCase() {
        assertThat(AclEffect.parse("deny")).contains(AclEffect.DENY);
        assertThat(AclEffect.parse("Deny")).isEmpty();
        assertThat(AclEffect.parse("ALLOW")).isEmpty();
        assertThat(AclEffect.parse(null)).isEmpty();
    }

    @Test
    void runawayRulesAreCountedAndDoNotMatch() {
        Acl acl = new Acl(new AclSettings(4, AclEffect.ALLOW, new GuardLimits(8192, 64, 100, 1000)));
        acl.add(AclEffect.DENY, "[\"interaction\", _, _, _, _, [X, X]]");
        ArrayNode big = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 1000; i++) {
            big.add(i);
        }
        JsonNode body = JsonNodeFactory.instance.arrayNode().add(big).add(big);
        assertThat(acl.decide(InteractionView.of("oneway", "e", "x", "", body)).allowed()).isTrue();
        assertThat(acl.exhaustedMatches()).isEqualTo(1);
    }
}
