package dev.alloplace.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Stops Logback so that buffered appenders write out before the JVM halts. */
final class LogFlush {
    private LogFlush() {
    }

    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
