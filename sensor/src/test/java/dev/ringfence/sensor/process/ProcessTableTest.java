package dev.ringfence.sensor.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessTableTest {
    @Test
    void namesAProcessByItsPidAndStartSoAReusedPidIsAnotherProcess() {
        ProcessTable table = new ProcessTable(16);
        table.remember(42, 1_000, "/usr/bin/nginx");
        table.remember(42, 2_000, "/bin/sh");

        assertThat(table.binaryOf(42, 1_000)).contains("/usr/bin/nginx");
        assertThat(table.binaryOf(42, 2_000)).contains("/bin/sh");
        assertThat(table.binaryOf(42, 3_000)).isEmpty();
        assertThat(table.binaryOf(0, 0)).as("an unknown parent").isEmpty();
    }

    @Test
    void theLeastRecentlyUsedProcessGoesFirstWhenTheTableIsFull() {
        ProcessTable table = new ProcessTable(2);
        table.remember(1, 10, "/a");
        table.remember(2, 20, "/b");
        assertThat(table.binaryOf(1, 10)).contains("/a"); // now 2 is the least recently used
        table.remember(3, 30, "/c");

        assertThat(table.size()).isEqualTo(2);
        assertThat(table.binaryOf(2, 20)).isEmpty();
        assertThat(table.binaryOf(1, 10)).contains("/a");
        assertThat(table.binaryOf(3, 30)).contains("/c");
    }

    @Test
    void processesThatRanOneBinaryShareOneCopyOfItsPath() {
        ProcessTable table = new ProcessTable(16);
        // decoded from two records: equal paths, distinct strings
        table.remember(1, 10, new String("/usr/bin/true".getBytes()));
        table.remember(2, 20, new String("/usr/bin/true".getBytes()));

        assertThat(table.binaryOf(1, 10).orElseThrow()).isSameAs(table.binaryOf(2, 20).orElseThrow());
    }
}
