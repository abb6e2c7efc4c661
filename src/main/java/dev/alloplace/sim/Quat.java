package dev.alloplace.sim;

/**
 * Unit quaternion helpers over {@code double[4]} arrays ordered {@code x, y, z, w}, used to
 * interpolate rotations smoothly (slerp) and to read the rotation out of a matrix robustly.
 */
public final class Quat {
    private static final double LERP_THRESHOLD = 0.9995;
    private static final double TINY = 1e-12;

    private Quat() {
    }

    /** The rotation by {@code angle} about {@code axis}; a zero axis gives the identity. */
    public static double[] fromAxisAngle(AxisAngle rotation) {
        AxisAngle n = rotation.normalized();
        if (n.x() == 0 && n.y() == 0 && n.z() == 0) {
            return new double[] {0, 0, 0, 1};
        }
        double half = n.angle() / 2;
        double s = Math.sin(half);
        return new double[] {n.x() * s, n.y() * s, n.z() * s, Math.cos(half)};
    }

    /**
     * Spherical interpolation along the shorter arc; {@code f = 0} gives {@code a}, {@code f = 1}
     * gives {@code b} (or its equivalent negation).
     */
    public static double[] slerp(double[] a, double[] b, double f) {
        double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
        double sign = 1;
        if (dot < 0) {
            dot = -dot;
            sign = -1;
        }
        double wa;
        double wb;
        if (dot > LERP_THRESHOLD) {
            wa = 1 - f;
            wb = f;
        } else {
            double theta = Math.acos(dot);
            double sin = Math.sin(theta);
            wa = Math.sin((1 - f) * theta) / sin;
            wb = Math.sin(f * theta) / sin;
        }
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            out[i] = a[i] * wa + sign * b[i] * wb;
        }
        return normalize(out);
    }

    /**
     * Axis-angle form with the angle in [0, π]. When the angle is (nearly) zero the axis is
     * undefined and {@code fallback} is returned as axis.
     */
    public static AxisAngle toAxisAngle(double[] q, double fallbackX, double fallbackY, double fallbackZ) {
        double[] n = normalize(q.clone());
        if (n[3] < 0) {
            for (int i = 0; i < 4; i++) {
                n[i] = -n[i];
            }
        }
        double w = Math.min(1, n[3]);
        double angle = 2 * Math.acos(w);
        double s = Math.sqrt(Math.max(0, 1 - w * w));
        if (s < TINY) {
            return new AxisAngle(0, fallbackX, fallbackY, fallbackZ);
        }
        return new AxisAngle(angle, n[0] / s, n[1] / s, n[2] / s);
    }

    /**
     * The rotation of a transform matrix (scale divided out of each column), by Shepperd's method
     * so that rotations near π stay accurate.
     */
    public static double[] fromMatrix(double[] m) {
        double sx = length(m[0], m[1], m[2]);
        double sy = length(m[4], m[5], m[6]);
        double sz = length(m[8], m[9], m[10]);
        if (sx < TINY || sy < TINY || sz < TINY) {
            return new double[] {0, 0, 0, 1};
        }
        double r00 = m[0] / sx;
        double r10 = m[1] / sx;
        double r20 = m[2] / sx;
        double r01 = m[4] / sy;
        double r11 = m[5] / sy;
        double r21 = m[6] / sy;
        double r02 = m[8] / sz;
        double r12 = m[9] / sz;
        double r22 = m[10] / sz;
        double trace = r00 + r11 + r22;
        double[] q = new double[4];
        if (trace > 0) {
            double s = Math.sqrt(trace + 1) * 2;
            q[3] = s / 4;
            q[0] = (r21 - r12) / s;
            q[1] = (r02 - r20) / s;
            q[2] = (r10 - r01) / s;
        } else if (r00 > r11 && r00 > r22) {
            double s = Math.sqrt(1 + r00 - r11 - r22) * 2;
            q[3] = (r21 - r12) / s;
            q[0] = s / 4;
            q[1] = (r01 + r10) / s;
            q[2] = (r02 + r20) / s;
        } else if (r11 > r22) {
            double s = Math.sqrt(1 + r11 - r00 - r22) * 2;
            q[3] = (r02 - r20) / s;
            q[0] = (r01 + r10) / s;
            q[1] = s / 4;
            q[2] = (r12 + r21) / s;
        } else {
            double s = Math.sqrt(1 + r22 - r00 - r11) * 2;
            q[3] = (r10 - r01) / s;
            q[0] = (r02 + r20) / s;
            q[1] = (r12 + r21) / s;
            q[2] = s / 4;
        }
        return normalize(q);
    }

    private static double[] normalize(double[] q) {
        double len = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        if (len < TINY) {
            q[0] = 0;
            q[1] = 0;
            q[2] = 0;
            q[3] = 1;
            return q;
        }
        for (int i = 0; i < 4; i++) {
            q[i] /= len;
        }
        return q;
    }

    private static double length(double x, double y, double z) {
        return Math.sqrt(x * x + y * y + z * z);
    }
}
