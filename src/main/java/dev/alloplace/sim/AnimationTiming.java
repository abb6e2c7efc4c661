package dev.alloplace.sim;

/**
 * Where an animation stands at a given server time: not started, running at some progress, or
 * finished (applied one last time at progress 1, then removed).
 *
 * @param state what to do this tick
 * @param progress linear progress in [0, 1] within the current cycle
 * @param reversed whether this cycle runs from {@code to} back to {@code from}
 */
record AnimationTiming(State state, double progress, boolean reversed) {

    enum State {
        NOT_STARTED,
        RUNNING,
        FINISHED,
        INVALID
    }

    private static final AnimationTiming NOT_STARTED = new AnimationTiming(State.NOT_STARTED, 0, false);
    private static final AnimationTiming INVALID = new AnimationTiming(State.INVALID, 0, false);

    /**
     * Per allonet: {@code t = now − start_at}, wrapped by {@code duration} when repeating;
     * {@code progress = t / duration}; below 0 not started; above 1 finished. A repeating,
     * autoreversing animation runs backwards in odd cycles. A non-repeating animation of zero
     * duration jumps to its end at {@code start_at}; a repeating one of zero duration is invalid.
     */
    static AnimationTiming at(AnimationSpec spec, double serverTime) {
        double elapsed = serverTime - spec.startAt();
        double duration = spec.duration();
        if (!Double.isFinite(elapsed) || !Double.isFinite(duration) || duration < 0) {
            return INVALID;
        }
        if (duration == 0) {
            if (spec.repeats()) {
                return INVALID;
            }
            return elapsed < 0 ? NOT_STARTED : new AnimationTiming(State.FINISHED, 1, false);
        }
        if (elapsed < 0) {
            return NOT_STARTED;
        }
        double t = spec.repeats() ? elapsed % duration : elapsed;
        double progress = t / duration;
        boolean reversed = spec.repeats() && spec.autoreverses() && (((long) Math.floor(elapsed / duration)) & 1L) == 1L;
        if (progress > 1) {
            return new AnimationTiming(State.FINISHED, 1, reversed);
        }
        return new AnimationTiming(State.RUNNING, progress, reversed);
    }
}
