package dev.alloplace.protocol;

/**
 * One named pose of an intent.
 *
 * @param matrix 16 numbers, column-major; identity when the client sent none or a malformed one
 * @param grab what the hand holds, or {@code null} when it holds nothing
 */
public record Pose(double[] matrix, Grab grab) {
    public Pose {
        matrix = matrix.clone();
    }

    @Override
    public double[] matrix() {
        return matrix.clone();
    }
}
