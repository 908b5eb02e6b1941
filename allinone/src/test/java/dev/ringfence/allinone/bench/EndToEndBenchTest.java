package dev.ringfence.allinone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndToEndBenchTest {
    @Test
    void theFiguresSayWhetherTheStackRanWithItsClassCache() {
        assertThat(EndToEndBench.classCache(List.of("-Xmx768m", "-XX:AOTCache=/s/e2e-1.aot", "-Xlog:aot*=error")))
                .isEqualTo("cache");
        assertThat(EndToEndBench.classCache(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=/s/e2e-1.classes")))
                .isEqualTo("recording");
        assertThat(EndToEndBench.classCache(List.of("-Xmx768m"))).isEqualTo("none");
    }
}
