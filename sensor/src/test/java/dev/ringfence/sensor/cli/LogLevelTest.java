package dev.ringfence.sensor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogLevelTest {
    private static final String SENSOR = "org.slf4j.simpleLogger.log.dev.ringfence";
    private static final String LIBBPF = "org.slf4j.simpleLogger.log.dev.ringfence.sensor.libbpf";

    @AfterEach
    void clear() {
        System.clearProperty(SENSOR);
        System.clearProperty(LIBBPF);
    }

    @Test
    void theVariableSetsTheSensorsLoggersIncludingLibbpf() {
        LogLevel.apply(Map.of(LogLevel.VARIABLE, " DEBUG "));

        assertThat(System.getProperty(SENSOR)).isEqualTo("debug");
        assertThat(System.getProperty(LIBBPF)).isEqualTo("debug");
    }

    @Test
    void unsetOrBlankLeavesTheDefaults() {
        LogLevel.apply(Map.of());
        LogLevel.apply(Map.of(LogLevel.VARIABLE, " "));

        assertThat(System.getProperty(SENSOR)).isNull();
        assertThat(System.getProperty(LIBBPF)).isNull();
    }

    @Test
    void aLevelThatDoesNotExistIsRefusedByName() {
        assertThatThrownBy(() -> LogLevel.apply(Map.of(LogLevel.VARIABLE, "verbose")))
                .isInstanceOf(UsageException.class)
                .hasMessage("RINGFENCE_LOG_LEVEL must be one of trace, debug, info, warn, error, off, got 'verbose'");
        assertThat(System.getProperty(SENSOR)).isNull();
    }
}
