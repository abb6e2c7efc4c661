package dev.alloplace.sim;

/**
 * A rotation of {@code angle} radians about {@code (x, y, z)}; the protocol's 4-array
 * {@code [angle, ax, ay, az]} shape.
 */
public record AxisAngle(double angle, double x, double y, double z) {
    /** The axis scaled to unit length, or the zero vector when it has no length. */
    public AxisAngle normalized() {
        double len = Math.sqrt(x * x + y * y + z * z);
        if (len < 1e-12) {
            return new AxisAngle(angle, 0, 0, 0);
        }
        return new AxisAngle(angle, x / len, y / len, z / len);
    }

    /** This rotation as a matrix; a zero axis means no rotation. */
    public double[] toMatrix() {
        AxisAngle n = normalized();
        if (n.x == 0 && n.y == 0 && n.z == 0) {
            return Mat4.identity();
        }
        return Mat4.rotation(n.angle, n.x, n.y, n.z);
    }
}
