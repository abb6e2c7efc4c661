package dev.alloplace.testing;

import dev.alloplace.protocol.Interaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The interactions one client has received, in order: a test waits for the one it expects
 * ({@link #next}) or looks at what came ({@link #received}). Filled on the client's thread.
 */
public final class Inbox {

    private final String owner;
    private final List<Interaction> received = new ArrayList<>();
    private int read;

    Inbox(String owner) {
        this.owner = owner;
    }

    synchronized void add(Interaction interaction) {
        received.add(interaction);
        notifyAll();
    }

    /**
     * The next interaction not yet taken that {@code matches}, waiting for it; those before it
     * that do not match stay where they are (see {@link #received}).
     *
     * @param what what the awaited interaction is, for the failure message
     */
    public synchronized Interaction next(String what, Predicate<Interaction> matches) throws InterruptedException {
        long deadline = System.nanoTime() + Waits.PATIENCE.toNanos();
        while (true) {
            for (int i = read; i < received.size(); i++) {
                if (matches.test(received.get(i))) {
                    read = i + 1;
                    return received.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + Waits.PATIENCE.toMillis() + " ms until " + owner + " received " + what
                        + "; it received " + bodies());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The next interaction named {@code name} (its body's first element). */
    public Interaction next(String name) throws InterruptedException {
        return next("\"" + name + "\"", interaction -> name.equals(interaction.name()));
    }

    /** Everything received so far. */
    public synchronized List<Interaction> received() {
        return List.copyOf(received);
    }

    /** The bodies received so far, as text. */
    public synchronized List<String> bodies() {
        return received.stream().map(interaction -> interaction.body().toString()).toList();
    }
}
