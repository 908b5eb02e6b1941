package dev.ringfence.sensor.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RINGFENCE_LOG_LEVEL: how much the sensor's own loggers say (the default is in simplelogger.properties: info for the
 * sensor, warn for libbpf and everything else). Applied before the first logger exists, as the system properties
 * slf4j-simple reads first.
 */
final class LogLevel {
    static final String VARIABLE = "RINGFENCE_LOG_LEVEL";
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
    private static final List<String> SENSOR_LOGGERS = List.of("dev.ringfence", "dev.ringfence.sensor.libbpf");

    private LogLevel() {}

    /** Sets the sensor's loggers to the variable's level, if it is set; a level that does not exist is refused. */
    static void apply(Map<String, String> environment) {
        String value = environment.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return;
        }
        String level = value.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new UsageException(VARIABLE + " must be one of " + String.join(", ", LEVELS) + ", got '" + value + "'");
        }
        SENSOR_LOGGERS.forEach(logger -> System.setProperty("org.slf4j.simpleLogger.log." + logger, level));
    }
}
