package dev.alloplace.loadgen;

/** Where a run is: what it is doing before it measures, then each measured second. */
public interface LoadProgress {

    /** A phase of the run and how far it got, e.g. "building static entities: 5000 of 20000". */
    default void status(String what) {
    }

    /** One measured second, every second (late rather than skipped when the machine is busy). */
    void sample(Sample sample);
}
