package dev.alloplace.acl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class AclBootstrapTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode yaml(String s) throws Exception {
        return YAML.readTree(s);
    }

    @Test
    void theHarryRuleFromAYamlConfigDeniesHarryAndAdmitsOthers(@TempDir Path dir) throws Exception {
        JsonNode rules = yaml("""
                - deny: >-
                    ["interaction", "request", SourceEntity, "place", _,
                     ["announce", "version", _, "identity", Identity | _]]
                    where Identity["display_name"] == "harry"
                - ["allow", "_"]
                """);
        AclBootstrap.Loaded loaded = AclBootstrap.load(AclSettings.defaults(), rules, new AclFile(dir.resolve("acl.json")));
        assertThat(loaded).isInstanceOf(AclBootstrap.Loaded.Ready.class);
        Acl acl = ((AclBootstrap.Loaded.Ready) loaded).acl();
        assertThat(((AclBootstrap.Loaded.Ready) loaded).origin()).isEqualTo("configuration");
        assertThat(acl.decide(AclTest.announce("harry")).allowed()).isFalse();
        assertThat(acl.decide(AclTest.announce("annie")).allowed()).isTrue();
        assertThat(acl.decide(AclTest.announce("annie")).rule().id()).isEqualTo("rule-2");
    }

    @Test
    void aSavedRuleFileWinsOverTheConfiguration(@TempDir Path dir) throws Exception {
        AclFile file = new AclFile(dir.resolve("acl.json"));
        Acl changed = new Acl(AclSettings.defaults());
        changed.add(AclEffect.DENY, "_");
        file.save(changed.rules());
        AclBootstrap.Loaded loaded = AclBootstrap.load(AclSettings.defaults(), yaml("- allow: _"), file);
        Acl acl = ((AclBootstrap.Loaded.Ready) loaded).acl();
        assertThat(acl.rules()).extracting(AclRule::effect).containsExactly(AclEffect.DENY);
    }

    @Test
    void badConfiguredRulesStopTheStartWithAMessage(@TempDir Path dir) throws Exception {
        AclFile file = new AclFile(dir.resolve("acl.json"));
        assertThat(AclBootstrap.load(AclSettings.defaults(), yaml("- deny: \"[\""), file)).isEqualTo(
                new AclBootstrap.Loaded.Failed("acl rule 1: line 1, column 2: expected a pattern, found end of source"));
        assertThat(AclBootstrap.load(AclSettings.defaults(), yaml("- Deny: _"), file)).isEqualTo(
                new AclBootstrap.Loaded.Failed("acl rule 1: effect must be allow or deny, was Deny"));
        assertThat(AclBootstrap.load(AclSettings.defaults(), yaml("deny: _"), file)).isEqualTo(
                new AclBootstrap.Loaded.Failed("acl rules must be a list"));
        assertThat(AclBootstrap.load(AclSettings.defaults(), yaml("- deny: 3"), file)).isEqualTo(
                new AclBootstrap.Loaded.Failed("acl rule 1: the guard must be a string"));
        assertThat(AclBootstrap.load(AclSettings.defaults(), null, file)).isInstanceOf(AclBootstrap.Loaded.Ready.class);
        Files.writeString(file.path(), "not json");
        assertThat(AclBootstrap.load(AclSettings.defaults(), null, file)).isInstanceOf(AclBootstrap.Loaded.Failed.class);
    }
}
