package dev.alloplace.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * Console logging for the daemon, set up in code: Logback's XML configurator loads some 350
 * classes of its own and an XML parser (about 4 MB of metaspace in a place that logs a few lines
 * a minute). The CLI sets {@code alloplace.log.format} ({@code text} or {@code json}) and
 * {@code alloplace.log.level} before the first message is logged. An operator's own
 * {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} on the class path, still
 * wins: this then steps aside for Logback's usual configurators.
 *
 * <p>The JSON lines carry the field names log shippers (Logstash, Fluent Bit, Vector, Loki)
 * expect: {@code @timestamp} (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, {@code stack_trace}, and the SLF4J key-value pairs of a line as top-level
 * fields (docs/configuration.md).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        console(context, System.getProperty("alloplace.log.format", "text"), System.getProperty("alloplace.log.level", "info"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** One console appender on the root logger, in {@code format} (json or text) at {@code level}. */
    static void console(LoggerContext context, String format, String level) {
        boolean json = "json".equals(format);
        Encoder<ILoggingEvent> encoder = json ? jsonEncoder(context) : textEncoder(context);
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(json ? "json" : "text");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(console);
        context.getLogger("io.netty").setLevel(Level.WARN);
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setTimeZone("UTC");
        encoder.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX");
        encoder.setIncludeContext(false);
        LogstashFieldNames names = encoder.getFieldNames();
        names.setVersion("[ignore]");
        names.setLevelValue("[ignore]");
        names.setLogger("logger");
        names.setThread("thread");
        encoder.start();
        return encoder;
    }
}
