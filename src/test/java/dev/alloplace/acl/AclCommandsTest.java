package dev.alloplace.acl;

import static dev.alloplace.acl.AclTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.guard.GuardLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class AclCommandsTest {

    @Test
    void addListAndRemoveRulesThroughInteractionBodies() {
        Acl acl = new Acl(AclSettings.defaults());
        AclCommands commands = new AclCommands(acl);

        AclCommands.Outcome added = commands.handle(json("[\"acl_add\", \"deny\", \"[\\\"x\\\" | _]\"]"));
        assertThat(added).isEqualTo(new AclCommands.Outcome(json("[\"acl_add\", \"ok\", \"rule-1\", 0]"), true));
        AclCommands.Outcome first = commands.handle(json("[\"acl_add\", \"allow\", \"_\", 0]"));
        assertThat(first.response()).isEqualTo(json("[\"acl_add\", \"ok\", \"rule-2\", 0]"));

        assertThat(commands.handle(json("[\"acl_list\"]"))).isEqualTo(new AclCommands.Outcome(json("""
                ["acl_list", "ok", [
                  {"id": "rule-2", "effect": "allow", "guard": "_"},
                  {"id": "rule-1", "effect": "deny", "guard": "[\\"x\\" | _]"}
                ], "allow"]
                """), false));

        assertThat(commands.handle(json("[\"acl_remove\", \"rule-2\"]")))
                .isEqualTo(new AclCommands.Outcome(json("[\"acl_remove\", \"ok\"]"), true));
        assertThat(commands.handle(json("[\"acl_remove\", \"rule-2\"]"))).isEqualTo(new AclCommands.Outcome(
                json("[\"acl_remove\", \"error\", \"not_found\", \"no rule with id \\\"rule-2\\\"\"]"), false));
        assertThat(acl.rules()).extracting(AclRule::id).containsExactly("rule-1");
    }

    @Test
    void malformedManagementRequestsChangeNothingAndSayWhy() {
        Acl acl = new Acl(AclSettings.defaults());
        AclCommands commands = new AclCommands(acl);
        assertThat(commands.handle(json("[\"acl_add\", \"Deny\", \"_\"]")).response().get(2).textValue())
                .isEqualTo("invalid_effect");
        assertThat(commands.handle(json("[\"acl_add\", \"deny\", 7]")).response().get(2).textValue())
                .isEqualTo("invalid_request");
        assertThat(commands.handle(json("[\"acl_add\", \"deny\", \"_\", 1.5]")).response().get(2).textValue())
                .isEqualTo("invalid_position");
        assertThat(commands.handle(json("[\"acl_add\", \"deny\", \"_\", \"0\"]")).response().get(2).textValue())
                .isEqualTo("invalid_position");
        assertThat(commands.handle(json("[\"acl_add\", \"deny\", \"[\"]")).response())
                .isEqualTo(json("[\"acl_add\", \"error\", \"invalid_rule\", "
                        + "\"line 1, column 2: expected a pattern, found end of source\"]"));
        assertThat(commands.handle(json("[\"acl_remove\", 1]")).changed()).isFalse();
        assertThat(commands.handle(json("[\"acl_list\", \"extra\"]")).response().get(1).textValue()).isEqualTo("error");
        assertThat(acl.rules()).isEmpty();
        assertThat(AclCommands.handles(json("[\"ACL_ADD\"]"))).isFalse();
        assertThat(AclCommands.handles(json("[\"acl_add\"]"))).isTrue();
    }

    @Test
    void rulesSurviveARestartThroughTheRuleFile(@TempDir Path dir) throws Exception {
        Acl before = new Acl(AclSettings.defaults());
        before.add(AclEffect.DENY, AclTest.HARRY);
        before.add(0, AclEffect.ALLOW, "[\"interaction\", _, \"admin\" | _]");
        before.remove("rule-1");
        before.add(AclEffect.DENY, "_");
        AclFile file = new AclFile(dir.resolve("data").resolve("acl.json"));
        file.save(before.rules());

        Acl after = new Acl(AclSettings.defaults());
        List<AclFile.Entry> entries = file.load().orElseThrow();
        assertThat(AclFile.restoreInto(after, entries)).isEmpty();
        assertThat(after.rules()).extracting(AclRule::toJson)
                .containsExactlyElementsOf(before.rules().stream().map(AclRule::toJson).toList());
        assertThat(((AclChange.Added) after.add(AclEffect.ALLOW, "_")).rule().id()).isEqualTo("rule-4");
        try (var files = Files.list(file.path().getParent())) {
            assertThat(files).as("no temporary files left").hasSize(1);
        }
    }

    @Test
    void aMissingRuleFileIsEmptyAndABrokenOneIsAnError(@TempDir Path dir) throws Exception {
        AclFile file = new AclFile(dir.resolve("acl.json"));
        assertThat(file.load()).isEmpty();
        Files.writeString(file.path(), "{\"not\": \"a list\"}");
        org.assertj.core.api.Assertions.assertThatThrownBy(file::load).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("a JSON object with a list of rules");
        Files.writeString(file.path(), "{\"format\": 9, \"rules\": []}");
        org.assertj.core.api.Assertions.assertThatThrownBy(file::load).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("has format 9");
        Acl acl = new Acl(new AclSettings(4, AclEffect.ALLOW, GuardLimits.defaults()));
        assertThat(AclFile.restoreInto(acl, List.of(new AclFile.Entry("rule-1", "deny", "[")))).contains(
                "rule rule-1: line 1, column 2: expected a pattern, found end of source");
        assertThat(AclFile.restoreInto(acl, List.of(new AclFile.Entry("rule-1", "block", "_")))).contains(
                "rule rule-1: effect must be allow or deny, was block");
    }

    @Test
    void aRuleFileOfTheFirstReleasesIsReadAndRewrittenWithAFormatNumber(@TempDir Path dir) throws Exception {
        AclFile file = new AclFile(dir.resolve("acl.json"));
        Files.writeString(file.path(), "[{\"id\": \"rule-4\", \"effect\": \"deny\", \"guard\": \"_\"}]");

        List<AclFile.Entry> entries = file.load().orElseThrow();

        assertThat(entries).containsExactly(new AclFile.Entry("rule-4", "deny", "_"));
        com.fasterxml.jackson.databind.JsonNode rewritten = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(file.path().toFile());
        assertThat(rewritten.path("format").asInt()).isEqualTo(AclFile.FORMAT);
        assertThat(rewritten.path("rules").get(0).path("id").asText()).isEqualTo("rule-4");
        assertThat(file.load().orElseThrow()).as("and reads back the same").isEqualTo(entries);
    }
}
