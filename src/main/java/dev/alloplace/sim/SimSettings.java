package dev.alloplace.sim;

/**
 * Tunables of the simulation, each with the reference server's value as default.
 *
 * @param stickSpeed metres per second at full stick deflection
 * @param maxStepSeconds longest time step simulated at once; longer gaps are slowed down
 * @param maxHierarchyDepth deepest parent chain followed when computing world transforms
 *     (protects against cycles)
 * @param maxAnimationsPerEntity most property animations one entity may run at once
 * @param maxAnimationPathLength longest accepted animation path, in characters
 * @param matrixWriteTolerance a transform is only rewritten when some element moves by more than
 *     this, so idle avatars do not produce state changes every heartbeat
 */
public record SimSettings(
        double stickSpeed,
        double maxStepSeconds,
        int maxHierarchyDepth,
        int maxAnimationsPerEntity,
        int maxAnimationPathLength,
        double matrixWriteTolerance) {

    public SimSettings {
        if (!(stickSpeed >= 0) || !(maxStepSeconds >= 0) || maxHierarchyDepth < 1
                || maxAnimationsPerEntity < 1 || maxAnimationPathLength < 1 || !(matrixWriteTolerance >= 0)) {
            throw new IllegalArgumentException("invalid simulation settings: " + this);
        }
    }

    public static SimSettings defaults() {
        return new SimSettings(2.0, 0.2, 64, 64, 255, 1e-9);
    }
}
