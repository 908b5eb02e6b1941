package dev.ringfence.jobs.config;

import java.util.Collection;

/** Validation helpers that name the offending key in the error. */
public final class Check {
    private Check() {}

    public static void positive(String key, long value) {
        if (value <= 0) {
            throw new InvalidConfigException(key + " must be > 0, got " + value);
        }
    }

    public static void atLeast(String key, double value, double minimum) {
        if (value < minimum) {
            throw new InvalidConfigException(key + " must be >= " + minimum + ", got " + value);
        }
    }

    public static void notBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(key + " must be set (non-empty)");
        }
    }

    public static void notEmpty(String key, Collection<?> values) {
        if (values == null || values.isEmpty()) {
            throw new InvalidConfigException(key + " must list at least one value");
        }
    }

    public static void present(String key, Object value) {
        if (value == null) {
            throw new InvalidConfigException(key + " must be set");
        }
    }
}
