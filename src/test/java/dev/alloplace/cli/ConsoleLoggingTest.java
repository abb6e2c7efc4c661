package dev.alloplace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The daemon's two log formats, set up without Logback's XML configurator. */
class ConsoleLoggingTest {

    private static String line(LoggerContext context, String appender) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender(appender);
        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.alloplace.cli.Daemon"), Level.INFO,
                "alloplace {} serving", null, new Object[] {"0.1.0"});
        event.setThreadName("main");
        return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void theTextFormatIsOneLineWithTimeLevelThreadAndLogger() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging.console(context, "text", "debug");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(line(context, "text"))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[main] d\\.a\\.cli\\.Daemon - alloplace 0\\.1\\.0 serving\\R");
        context.stop();
    }

    @Test
    void theJsonFormatCarriesTheFieldsTheDocsListAndNoOthers() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        ConsoleLogging.console(context, "json", "warn");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        JsonNode json = new ObjectMapper().readTree(line(context, "json"));
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger").asText()).isEqualTo("dev.alloplace.cli.Daemon");
        assertThat(json.path("thread").asText()).isEqualTo("main");
        assertThat(json.path("message").asText()).isEqualTo("alloplace 0.1.0 serving");
        assertThat(json.path("@timestamp").asText()).endsWith("Z");
        assertThat(json.has("@version")).isFalse();
        assertThat(json.has("level_value")).isFalse();
        context.stop();
    }

    @Test
    void anUnknownLevelFallsBackToInfo() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging.console(context, "text", "chatty");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        context.stop();
    }
}
