package dev.alloplace.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;

/**
 * Copies one output stream of an app process into the gateway's log, a line at a time, each line
 * prefixed with the app and its pid. A line is cut at a fixed length, so an app that never
 * writes a newline costs a bounded buffer, not memory without end.
 */
final class OutputPump implements Runnable {

    private final InputStream in;
    private final Logger log;
    private final String prefix;
    private final int maxLineBytes;

    OutputPump(InputStream in, Logger log, String prefix, int maxLineBytes) {
        this.in = in;
        this.log = log;
        this.prefix = prefix;
        this.maxLineBytes = maxLineBytes;
    }

    static Thread start(InputStream in, Logger log, String prefix, int maxLineBytes, String threadName) {
        Thread thread = new Thread(new OutputPump(in, log, prefix, maxLineBytes), threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        byte[] line = new byte[maxLineBytes];
        byte[] chunk = new byte[8192];
        int length = 0;
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        emit(line, length);
                        length = 0;
                    } else if (b != '\r') {
                        line[length++] = b;
                        if (length == line.length) {
                            emit(line, length);
                            length = 0;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The process is gone and its pipe closed under us: what was read is logged below.
        }
        if (length > 0) {
            emit(line, length);
        }
    }

    private void emit(byte[] line, int length) {
        log.info("{} {}", prefix, new String(Arrays.copyOf(line, length), StandardCharsets.UTF_8));
    }
}
