package dev.alloplace.state;

/** Revision arithmetic of the protocol: numbers stay below 2^53 and wrap to 0. */
public final class Revisions {

    /** The value that is never reached: incrementing to it yields 0 instead. */
    public static final long WRAP = 9007199254740990L;

    private Revisions() {
    }

    public static long next(long revision) {
        long next = revision + 1;
        return next >= WRAP ? 0 : next;
    }

    /** How many revisions {@code from} is behind {@code to}, across the wrap. */
    public static long distance(long from, long to) {
        long d = to - from;
        return d >= 0 ? d : d + WRAP;
    }
}
