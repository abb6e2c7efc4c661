package dev.alloplace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs on our build machines, so the Dockerfile's essentials are checked as
 * text against the build and the configuration defaults.
 */
class DockerfileTest {

    private final String dockerfile = read("Dockerfile");

    private static String read(String name) {
        try {
            return Files.readString(Path.of(name));
        } catch (java.io.IOException e) {
            throw new AssertionError(name + " is missing", e);
        }
    }

    private List<String> instructions(String keyword) {
        return dockerfile.lines().map(String::strip).filter(l -> l.startsWith(keyword + " ")).toList();
    }

    @Test
    void everyBaseImageIsPinnedByTag() {
        List<String> froms = instructions("FROM");
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        for (String from : froms) {
            String image = from.split("\\s+")[1];
            assertThat(image).as(from).contains(":").doesNotEndWith(":latest");
        }
    }

    @Test
    void copiesTheJarTheBuildProduces() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertThat(finalName.find()).isTrue();
        assertThat(dockerfile).contains("COPY --from=build /src/target/" + finalName.group(1) + ".jar");
        assertThat(dockerfile).contains("-jar\", \"/opt/alloplace/alloplace.jar\"");
    }

    @Test
    void exposesTheDefaultPorts() {
        String udp = Settings.PORT.defaultText();
        String admin = Settings.ADMIN_PORT.defaultText();
        assertThat(instructions("EXPOSE")).anySatisfy(e -> assertThat(e).contains(udp + "/udp").contains(admin + "/tcp"));
        assertThat(dockerfile).contains("ALLOPLACE_PORT=" + udp).contains("ALLOPLACE_ADMIN_PORT=" + admin);
    }

    @Test
    void runsAsANonRootUserWithTheDataDirectoryAsAVolume() {
        assertThat(instructions("USER")).hasSize(1).allSatisfy(u -> assertThat(u).isNotIn("USER root", "USER 0"));
        assertThat(dockerfile).contains("ALLOPLACE_DATA_DIR=/var/lib/alloplace");
        assertThat(instructions("VOLUME")).anySatisfy(v -> assertThat(v).contains("/var/lib/alloplace"));
    }

    @Test
    void healthcheckCallsTheServersHealthEndpoint() {
        assertThat(instructions("HEALTHCHECK")).hasSize(1);
        assertThat(dockerfile).contains("alloplace.jar\", \"healthcheck\"");
    }

    @Test
    void composeExampleUsesTheSamePortAndVolume() {
        String compose = read("docker-compose.yml");
        assertThat(compose).contains(Settings.PORT.defaultText() + ":" + Settings.PORT.defaultText() + "/udp")
                .contains(":/var/lib/alloplace");
    }
}
