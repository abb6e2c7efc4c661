package dev.alloplace.cli;

import java.io.PrintStream;

/**
 * A live status line for a terminal, plain lines otherwise. On a terminal the last line is
 * rewritten in place ({@code \r} and "erase line"); lines that should stay are printed above it.
 * Without a terminal (a log file, CI) each status is printed once, as its own line, when it
 * changes phase. No terminal library: one line needs two escape sequences, which every terminal
 * since the VT100 understands.
 */
final class StatusLine {

    private static final String ERASE = "\r\u001b[2K";

    private final PrintStream out;
    private final boolean live;
    private String status = "";
    private String lastPhase = "";

    StatusLine(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** Live when both ends are a terminal and TERM does not say it is a dumb one. */
    static StatusLine forConsole(PrintStream out) {
        String term = System.getenv("TERM");
        return new StatusLine(out, System.console() != null && term != null && !term.equals("dumb"));
    }

    /** Replaces the status; without a terminal only a new phase (the text before ':') is printed. */
    synchronized void status(String text) {
        status = text;
        if (live) {
            out.print(ERASE + text);
            out.flush();
            return;
        }
        String phase = text.contains(":") ? text.substring(0, text.indexOf(':')) : text;
        if (!phase.equals(lastPhase)) {
            lastPhase = phase;
            out.println(text);
        }
    }

    /** A status only worth showing live (a progress bar): nothing without a terminal. */
    synchronized void liveOnly(String text) {
        if (live) {
            status(text);
        }
    }

    /** A line that stays (a measured second, the result), printed above the status. */
    synchronized void line(String text) {
        if (live) {
            out.print(ERASE + text + "\n" + status);
            out.flush();
        } else {
            out.println(text);
        }
    }

    /** Leaves the terminal on a fresh line. */
    synchronized void finish() {
        if (live) {
            out.print(ERASE);
            out.flush();
        }
    }
}
