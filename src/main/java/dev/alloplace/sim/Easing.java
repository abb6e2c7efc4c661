package dev.alloplace.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * The 31 easing curves a property animation may name, with the standard "AHEasing" formulas
 * (the ones allonet takes from the mathc library). Each maps progress in [0, 1] to eased progress;
 * 0 maps to 0 and 1 to 1 (back and elastic overshoot in between).
 *
 * <p>Two deliberate differences from mathc, which deviates from AHEasing there: the exponential
 * curves return exactly 0 and 1 at the ends, and {@code backInOut} uses the textbook second half.
 */
public enum Easing {
    LINEAR("linear") {
        @Override
        public double apply(double p) {
            return p;
        }
    },
    QUAD_IN("quadIn") {
        @Override
        public double apply(double p) {
            return p * p;
        }
    },
    QUAD_OUT("quadOut") {
        @Override
        public double apply(double p) {
            return -(p * (p - 2));
        }
    },
    QUAD_IN_OUT("quadInOut") {
        @Override
        public double apply(double p) {
            return p < 0.5 ? 2 * p * p : (-2 * p * p) + (4 * p) - 1;
        }
    },
    CUBIC_IN("cubicIn") {
        @Override
        public double apply(double p) {
            return p * p * p;
        }
    },
    CUBIC_OUT("cubicOut") {
        @Override
        public double apply(double p) {
            double f = p - 1;
            return f * f * f + 1;
        }
    },
    CUBIC_IN_OUT("cubicInOut") {
        @Override
        public double apply(double p) {
            if (p < 0.5) {
                return 4 * p * p * p;
            }
            double f = 2 * p - 2;
            return 0.5 * f * f * f + 1;
        }
    },
    QUART_IN("quartIn") {
        @Override
        public double apply(double p) {
            return p * p * p * p;
        }
    },
    QUART_OUT("quartOut") {
        @Override
        public double apply(double p) {
            double f = p - 1;
            return f * f * f * (1 - p) + 1;
        }
    },
    QUART_IN_OUT("quartInOut") {
        @Override
        public double apply(double p) {
            if (p < 0.5) {
                return 8 * p * p * p * p;
            }
            double f = p - 1;
            return -8 * f * f * f * f + 1;
        }
    },
    QUINT_IN("quintIn") {
        @Override
        public double apply(double p) {
            return p * p * p * p * p;
        }
    },
    QUINT_OUT("quintOut") {
        @Override
        public double apply(double p) {
            double f = p - 1;
            return f * f * f * f * f + 1;
        }
    },
    QUINT_IN_OUT("quintInOut") {
        @Override
        public double apply(double p) {
            if (p < 0.5) {
                return 16 * p * p * p * p * p;
            }
            double f = 2 * p - 2;
            return 0.5 * f * f * f * f * f + 1;
        }
    },
    SINE_IN("sineIn") {
        @Override
        public double apply(double p) {
            return Math.sin((p - 1) * HALF_PI) + 1;
        }
    },
    SINE_OUT("sineOut") {
        @Override
        public double apply(double p) {
            return Math.sin(p * HALF_PI);
        }
    },
    SINE_IN_OUT("sineInOut") {
        @Override
        public double apply(double p) {
            return 0.5 * (1 - Math.cos(p * Math.PI));
        }
    },
    CIRCULAR_IN("circularIn") {
        @Override
        public double apply(double p) {
            return 1 - Math.sqrt(1 - (p * p));
        }
    },
    CIRCULAR_OUT("circularOut") {
        @Override
        public double apply(double p) {
            return Math.sqrt((2 - p) * p);
        }
    },
    CIRCULAR_IN_OUT("circularInOut") {
        @Override
        public double apply(double p) {
            if (p < 0.5) {
                return 0.5 * (1 - Math.sqrt(1 - 4 * (p * p)));
            }
            return 0.5 * (Math.sqrt(-((2 * p) - 3) * ((2 * p) - 1)) + 1);
        }
    },
    EXP_IN("expIn") {
        @Override
        public double apply(double p) {
            return p == 0.0 ? p : Math.pow(2, 10 * (p - 1));
        }
    },
    EXP_OUT("expOut") {
        @Override
        public double apply(double p) {
            return p == 1.0 ? p : 1 - Math.pow(2, -10 * p);
        }
    },
    EXP_IN_OUT("expInOut") {
        @Override
        public double apply(double p) {
            if (p == 0.0 || p == 1.0) {
                return p;
            }
            if (p < 0.5) {
                return 0.5 * Math.pow(2, (20 * p) - 10);
            }
            return -0.5 * Math.pow(2, (-20 * p) + 10) + 1;
        }
    },
    ELASTIC_IN("elasticIn") {
        @Override
        public double apply(double p) {
            return Math.sin(13 * HALF_PI * p) * Math.pow(2, 10 * (p - 1));
        }
    },
    ELASTIC_OUT("elasticOut") {
        @Override
        public double apply(double p) {
            return Math.sin(-13 * HALF_PI * (p + 1)) * Math.pow(2, -10 * p) + 1;
        }
    },
    ELASTIC_IN_OUT("elasticInOut") {
        @Override
        public double apply(double p) {
            if (p < 0.5) {
                return 0.5 * Math.sin(13 * HALF_PI * (2 * p)) * Math.pow(2, 10 * ((2 * p) - 1));
            }
            return 0.5 * (Math.sin(-13 * HALF_PI * ((2 * p - 1) + 1)) * Math.pow(2, -10 * (2 * p - 1)) + 2);
        }
    },
    BACK_IN("backIn") {
        @Override
        public double apply(double p) {
            return p * p * p - p * Math.sin(p * Math.PI);
        }
    },
    BACK_OUT("backOut") {
        @Override
        public double apply(double p) {
            double f = 1 - p;
            return 1 - (f * f * f - f * Math.sin(f * Math.PI));
        }
    },
    BACK_IN_OUT("backInOut") {
        @Override
        public double apply(double p) {
            if (p < 0.5) {
                double f = 2 * p;
                return 0.5 * (f * f * f - f * Math.sin(f * Math.PI));
            }
            double f = 1 - (2 * p - 1);
            return 0.5 * (1 - (f * f * f - f * Math.sin(f * Math.PI))) + 0.5;
        }
    },
    BOUNCE_IN("bounceIn") {
        @Override
        public double apply(double p) {
            return 1 - bounceOut(1 - p);
        }
    },
    BOUNCE_OUT("bounceOut") {
        @Override
        public double apply(double p) {
            return bounceOut(p);
        }
    },
    BOUNCE_IN_OUT("bounceInOut") {
        @Override
        public double apply(double p) {
            if (p < 0.5) {
                return 0.5 * BOUNCE_IN.apply(p * 2);
            }
            return 0.5 * bounceOut(p * 2 - 1) + 0.5;
        }
    };

    private static final double HALF_PI = Math.PI / 2;
    private static final Map<String, Easing> BY_NAME = new HashMap<>();

    static {
        for (Easing e : values()) {
            BY_NAME.put(e.protocolName, e);
        }
    }

    private final String protocolName;

    Easing(String protocolName) {
        this.protocolName = protocolName;
    }

    /** Eased progress for linear progress {@code p} in [0, 1]. */
    public abstract double apply(double p);

    /** The name used in animation specs, e.g. {@code "elasticOut"}. */
    public String protocolName() {
        return protocolName;
    }

    /** The easing with that protocol name; unknown or missing names are linear, as in allonet. */
    public static Easing named(String name) {
        if (name == null) {
            return LINEAR;
        }
        return BY_NAME.getOrDefault(name, LINEAR);
    }

    private static double bounceOut(double p) {
        if (p < 4 / 11.0) {
            return (121 * p * p) / 16.0;
        } else if (p < 8 / 11.0) {
            return (363 / 40.0 * p * p) - (99 / 10.0 * p) + 17 / 5.0;
        } else if (p < 9 / 10.0) {
            return (4356 / 361.0 * p * p) - (35442 / 1805.0 * p) + 16061 / 1805.0;
        }
        return (54 / 5.0 * p * p) - (513 / 25.0 * p) + 268 / 25.0;
    }
}
