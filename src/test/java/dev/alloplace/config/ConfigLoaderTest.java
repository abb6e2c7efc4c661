package dev.alloplace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("alloplace.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void withNothingGivenEveryDefaultApplies() throws Exception {
        Config c = ConfigLoader.load(Map.of(), Map.of(), null);
        assertThat(c.get(Settings.PORT)).isEqualTo(21337);
        assertThat(c.get(Settings.BIND)).isEqualTo(InetAddress.getByName("0.0.0.0"));
        assertThat(c.get(Settings.PLACE_NAME)).isEqualTo("Unnamed place");
        assertThat(c.get(Settings.HEARTBEAT_HZ)).isEqualTo(20);
        assertThat(c.get(Settings.MAX_PEERS)).isEqualTo(128);
        assertThat(c.get(Settings.ADMIN_BIND)).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(c.source(Settings.PORT)).isEqualTo(Config.Source.DEFAULT);
    }

    @Test
    void fileOverridesDefaults() throws Exception {
        Path f = yaml("place:\n  name: Garden\nserver:\n  port: 4000\n");
        Config c = ConfigLoader.load(Map.of(), Map.of(), f);
        assertThat(c.get(Settings.PLACE_NAME)).isEqualTo("Garden");
        assertThat(c.get(Settings.PORT)).isEqualTo(4000);
        assertThat(c.source(Settings.PORT)).isEqualTo(Config.Source.FILE);
        assertThat(c.get(Settings.HEARTBEAT_HZ)).isEqualTo(20);
    }

    @Test
    void environmentOverridesFile() throws Exception {
        Path f = yaml("server:\n  port: 4000\nplace:\n  heartbeat_hz: 10\n");
        Config c = ConfigLoader.load(Map.of(), Map.of("ALLOPLACE_PORT", "5000", "UNRELATED", "x"), f);
        assertThat(c.get(Settings.PORT)).isEqualTo(5000);
        assertThat(c.source(Settings.PORT)).isEqualTo(Config.Source.ENVIRONMENT);
        assertThat(c.get(Settings.HEARTBEAT_HZ)).isEqualTo(10);
    }

    @Test
    void flagsOverrideEnvironmentAndFile() throws Exception {
        Path f = yaml("server:\n  port: 4000\n");
        Config c = ConfigLoader.load(Map.of("server.port", "6000"), Map.of("ALLOPLACE_PORT", "5000"), f);
        assertThat(c.get(Settings.PORT)).isEqualTo(6000);
        assertThat(c.source(Settings.PORT)).isEqualTo(Config.Source.FLAG);
    }

    @Test
    void placeNameComesFromTheSameVariableAsAlloplace2() throws Exception {
        Config c = ConfigLoader.load(Map.of(), Map.of("ALLOPLACE_NAME", "Lobby"), null);
        assertThat(c.get(Settings.PLACE_NAME)).isEqualTo("Lobby");
    }

    @Test
    void portOutOfRangeIsRejectedNamingKeyAndRange() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("server.port", "70000"), Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port")
                .hasMessageContaining("--port")
                .hasMessageContaining("from 0 to 65535");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("ALLOPLACE_HEARTBEAT_HZ", "fast"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("place.heartbeat_hz")
                .hasMessageContaining("ALLOPLACE_HEARTBEAT_HZ")
                .hasMessageContaining("not an integer");
    }

    @Test
    void unknownFileKeyIsRejectedListingKnownKeys() throws Exception {
        Path f = yaml("server:\n  prot: 4000\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key server.prot")
                .hasMessageContaining("server.port");
    }

    @Test
    void unknownTopLevelSectionIsRejected() throws Exception {
        Path f = yaml("gravity:\n  strength: 9.81\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key gravity");
    }

    @Test
    void badFileValueNamesKeyAndFile() throws Exception {
        Path f = yaml("log:\n  format: xml\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("log.format")
                .hasMessageContaining(f.toString())
                .hasMessageContaining("one of text, json");
    }

    @Test
    void missingFileIsRejected() {
        Path f = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void unreadableFileIsRejected() throws Exception {
        Path f = dir.resolve("sub");
        Files.createDirectory(f);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString());
    }

    @Test
    void malformedYamlIsRejectedWithItsLocation() throws Exception {
        Path f = yaml("server:\n  port: [1,\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("line");
    }

    @Test
    void listWhereScalarExpectedIsRejected() throws Exception {
        Path f = yaml("server:\n  port: [1, 2]\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port");
    }

    @Test
    void bindMustBeALiteralAddress() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("server.bind", "example.com"), Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.bind")
                .hasMessageContaining("IP address");
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        Path f = yaml("# nothing set\n");
        Config c = ConfigLoader.load(Map.of(), Map.of(), f);
        assertThat(c.get(Settings.PORT)).isEqualTo(21337);
    }

    @Test
    void documentedExampleFileIsValidAndMentionsEveryKey() throws Exception {
        Path example = Path.of("config", "alloplace.yaml");
        assertThat(example).exists();
        Config c = ConfigLoader.load(Map.of(), Map.of(), example);
        assertThat(c.get(Settings.PORT)).isEqualTo(21337);
        String text = Files.readString(example);
        for (Setting<?> s : Settings.ALL) {
            String leaf = s.key().substring(s.key().lastIndexOf('.') + 1);
            assertThat(text).as("example mentions " + s.key()).contains(leaf + ":");
        }
    }

    @Test
    void configurationDocsListEverySetting() throws Exception {
        String doc = Files.readString(Path.of("docs", "configuration.md"));
        for (Setting<?> s : Settings.ALL) {
            assertThat(doc).as("docs mention " + s.key()).contains("`" + s.key() + "`").contains(s.env());
        }
    }

    @Test
    void gatewayPrefixesComeAsAYamlListOrAsTextAndAreNormalised() throws Exception {
        Path f = yaml("place:\n  launch_gateways: [\"HTTP://127.0.0.1:21339\", \"https://apps.example.com/a/./b/\"]\n");
        assertThat(ConfigLoader.load(Map.of(), Map.of(), f).get(Settings.LAUNCH_GATEWAYS))
                .containsExactly(URI.create("http://127.0.0.1:21339/"), URI.create("https://apps.example.com/a/b/"));
        Config fromEnv = ConfigLoader.load(Map.of(), Map.of("ALLOPLACE_LAUNCH_GATEWAYS", " http://a:1/x, http://b:2/ "), null);
        assertThat(fromEnv.get(Settings.LAUNCH_GATEWAYS)).containsExactly(URI.create("http://a:1/x"), URI.create("http://b:2/"));
        assertThat(Config.defaults().get(Settings.LAUNCH_GATEWAYS)).isEmpty();
    }

    @Test
    void aGatewayPrefixWithUserInfoOrAnotherSchemeIsRefused() {
        for (String bad : List.of("http://user@host/", "ftp://host/", "http:///nohost", "http://host/?q=1", "not a url")) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("ALLOPLACE_LAUNCH_GATEWAYS", bad), null))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("place.launch_gateways");
        }
    }

    @Test
    void anotherProgramsCatalogKnowsOnlyItsOwnKeys() throws Exception {
        Setting<Integer> port = new Setting<>("gateway.port", "ALLOPLACE_GATEWAY_PORT", java.util.Optional.of("port"),
                new SettingType.IntRange(0, 65535), "21339", "port");
        Path f = yaml("gateway:\n  port: 4000\n");
        assertThat(ConfigLoader.load(List.of(port), Map.of(), Map.of(), f).get(port)).isEqualTo(4000);
        Path placeFile = yaml("server:\n  port: 4000\n");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(port), Map.of(), Map.of(), placeFile))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key server");
    }

    @Test
    void aMistypedVariableIsReportedWithTheNameItProbablyMeant() throws Exception {
        Config c = ConfigLoader.load(Map.of(), Map.of("ALLOPLACE_PROT", "4000", "ALLOPLACE_ADMIN_TOKN", "x",
                "ALLOPLACE_SERVICE_HOST", "10.0.0.1", "PATH", "/bin"), null);
        assertThat(c.get(Settings.PORT)).as("the typo does not take effect").isEqualTo(21337);
        assertThat(c.unknownEnvironment()).hasSize(3);
        assertThat(c.unknownEnvironment().get(0)).contains("ALLOPLACE_ADMIN_TOKN").contains("did you mean ALLOPLACE_ADMIN_TOKEN?");
        assertThat(c.unknownEnvironment().get(1)).contains("ALLOPLACE_PROT").contains("did you mean ALLOPLACE_PORT?");
        assertThat(c.unknownEnvironment().get(2)).contains("ALLOPLACE_SERVICE_HOST").doesNotContain("did you mean");
    }

    @Test
    void everyVariableOfTheCatalogAndTheConfigFileVariableAreKnown() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        for (Setting<?> s : Settings.ALL) {
            env.put(s.env(), s.defaultText());
        }
        env.put(Settings.CONFIG_FILE_ENV, "whatever.yaml");
        assertThat(ConfigLoader.load(Map.of(), env, null).unknownEnvironment()).isEmpty();
        assertThat(Settings.knownEnvironment()).allSatisfy(name -> assertThat(name).startsWith(Settings.ENV_PREFIX));
    }

    @Test
    void aFileValueThatAVariableOrFlagOverridesIsNamed() throws Exception {
        Path f = yaml("server:\n  port: 4000\nplace:\n  name: Garden\nadmin:\n  token: in-file\n");
        Config c = ConfigLoader.load(Map.of("place.name", "Lobby"), Map.of("ALLOPLACE_PORT", "5000",
                "ALLOPLACE_ADMIN_TOKEN", "from-env"), f);
        assertThat(c.overriddenFileValues()).hasSize(3);
        assertThat(c.overriddenFileValues()).anySatisfy(line -> assertThat(line)
                .isEqualTo("server.port: environment variable ALLOPLACE_PORT ('5000') overrides '4000' from " + f));
        assertThat(c.overriddenFileValues()).anySatisfy(line -> assertThat(line).startsWith("place.name: --name ('Lobby')"));
        assertThat(String.join("\n", c.overriddenFileValues())).as("a token is never logged")
                .doesNotContain("in-file").doesNotContain("from-env");
        assertThat(ConfigLoader.load(Map.of(), Map.of("ALLOPLACE_PORT", "4000"), f).overriddenFileValues())
                .as("the same value is no override").isEmpty();
    }
}
