package dev.alloplace.sim;

/**
 * 4×4 transform helpers over plain {@code double[16]} arrays in the protocol's column-major layout
 * (element {@code col * 4 + row}; 12, 13, 14 hold the translation). Plain arrays keep the
 * simulation close to the wire format and free of wrapper objects.
 *
 * <p>{@link #multiply(double[], double[])} is the standard product {@code l·r}: applying the
 * result to a point applies {@code r} first, then {@code l} (allonet's {@code concat(l, r)}).
 */
public final class Mat4 {
    /** Number of elements in a matrix. */
    public static final int SIZE = 16;

    private static final double SINGULAR_EPSILON = 1e-300;

    private Mat4() {
    }

    public static double[] identity() {
        double[] m = new double[SIZE];
        m[0] = 1;
        m[5] = 1;
        m[10] = 1;
        m[15] = 1;
        return m;
    }

    public static double[] translation(double x, double y, double z) {
        double[] m = identity();
        m[12] = x;
        m[13] = y;
        m[14] = z;
        return m;
    }

    /**
     * Rodrigues rotation by {@code angle} radians (counter-clockwise looking down the axis towards
     * the origin) about the axis {@code (x, y, z)}, used as given: pass a unit axis.
     */
    public static double[] rotation(double angle, double x, double y, double z) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double k = 1 - c;
        double[] m = identity();
        m[0] = c + x * x * k;
        m[1] = z * s + x * y * k;
        m[2] = -y * s + x * z * k;
        m[4] = -z * s + x * y * k;
        m[5] = c + y * y * k;
        m[6] = x * s + y * z * k;
        m[8] = y * s + x * z * k;
        m[9] = -x * s + y * z * k;
        m[10] = c + z * z * k;
        return m;
    }

    /** {@code l · r}. */
    public static double[] multiply(double[] l, double[] r) {
        double[] out = new double[SIZE];
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                double sum = 0;
                for (int k = 0; k < 4; k++) {
                    sum += l[k * 4 + row] * r[col * 4 + k];
                }
                out[col * 4 + row] = sum;
            }
        }
        return out;
    }

    /**
     * General inverse by Gauss-Jordan elimination with partial pivoting. A singular matrix yields
     * the identity, as in the reference server, so a degenerate transform never poisons the world
     * with NaNs.
     */
    public static double[] inverse(double[] m) {
        double[][] a = new double[4][8];
        for (int row = 0; row < 4; row++) {
            for (int col = 0; col < 4; col++) {
                a[row][col] = m[col * 4 + row];
            }
            a[row][4 + row] = 1;
        }
        for (int col = 0; col < 4; col++) {
            int pivot = col;
            for (int row = col + 1; row < 4; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            if (Math.abs(a[pivot][col]) < SINGULAR_EPSILON) {
                return identity();
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            double inv = 1 / a[col][col];
            for (int k = 0; k < 8; k++) {
                a[col][k] *= inv;
            }
            for (int row = 0; row < 4; row++) {
                if (row != col && a[row][col] != 0) {
                    double factor = a[row][col];
                    for (int k = 0; k < 8; k++) {
                        a[row][k] -= factor * a[col][k];
                    }
                }
            }
        }
        double[] out = new double[SIZE];
        for (int row = 0; row < 4; row++) {
            for (int col = 0; col < 4; col++) {
                out[col * 4 + row] = a[row][4 + col];
            }
        }
        return out;
    }

    /** The point {@code (x, y, z)} transformed by {@code m} (w = 1). */
    public static double[] transformPoint(double[] m, double x, double y, double z) {
        return new double[] {
            m[0] * x + m[4] * y + m[8] * z + m[12],
            m[1] * x + m[5] * y + m[9] * z + m[13],
            m[2] * x + m[6] * y + m[10] * z + m[14],
        };
    }

    /** Where {@code m} puts the origin: its translation column. */
    public static double[] position(double[] m) {
        return new double[] {m[12], m[13], m[14]};
    }

    /** Exactly the identity, element by element (how allonet tells an unset pose). */
    public static boolean isIdentity(double[] m) {
        for (int i = 0; i < SIZE; i++) {
            double expected = (i % 5 == 0) ? 1 : 0;
            if (m[i] != expected) {
                return false;
            }
        }
        return true;
    }

    /** Element-wise {@code from·(1−f) + to·f}. */
    public static double[] interpolate(double[] from, double[] to, double f) {
        double[] out = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            out[i] = from[i] * (1 - f) + to[i] * f;
        }
        return out;
    }

    /** Whether every element differs by at most {@code tolerance}. */
    public static boolean nearlyEqual(double[] a, double[] b, double tolerance) {
        for (int i = 0; i < SIZE; i++) {
            if (!(Math.abs(a[i] - b[i]) <= tolerance)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rotation part of {@code m} as axis and angle (angle in [0, π]); scale is divided out
     * first. A rotation of zero yields the zero axis.
     */
    public static AxisAngle rotationOf(double[] m) {
        double[] q = Quat.fromMatrix(m);
        return Quat.toAxisAngle(q, 0, 0, 0);
    }
}
