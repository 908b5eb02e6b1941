package dev.ringfence.sensor.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    private static final int RECORD = 1000;

    @Test
    void replaysOldestFirstAndSurvivesARestart(@TempDir Path dir) {
        Spool spool = new Spool(dir, 1 << 20);
        for (int i = 0; i < 200; i++) {
            spool.append(entry(i));
        }
        spool.close();

        Spool reopened = new Spool(dir, 1 << 20);
        assertThat(reopened.pending()).isEqualTo(200);
        List<Integer> replayed = new ArrayList<>();
        while (!reopened.isEmpty()) {
            Spool.Segment segment = reopened.oldest().orElseThrow();
            segment.entries().forEach(entry -> replayed.add(ByteBuffer.wrap(entry.value()).getInt()));
            reopened.delivered(segment);
        }
        assertThat(replayed).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).boxed().toList());
        assertThat(reopened.dropped()).isZero();
    }

    @Test
    void dropsTheOldestWhenFullAndCountsWhatItDropped(@TempDir Path dir) {
        long max = 1 << 20;
        Spool spool = new Spool(dir, max);
        int appended = 3000; // ~3 MB into a 1 MiB spool
        for (int i = 0; i < appended; i++) {
            spool.append(entry(i));
        }
        assertThat(spool.dropped()).isPositive();
        assertThat(spool.pending() + spool.dropped()).isEqualTo(appended);
        Spool.Segment oldest = spool.oldest().orElseThrow();
        assertThat(ByteBuffer.wrap(oldest.entries().getFirst().value()).getInt()).isEqualTo((int) spool.dropped());
        assertThat(directorySize(dir)).isLessThanOrEqualTo(max + max / 8);
    }

    @Test
    void aTornLastRecordIsIgnored(@TempDir Path dir) throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        spool.append(entry(1));
        spool.append(entry(2));
        spool.close();
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        Files.write(segment, java.util.Arrays.copyOf(bytes, bytes.length - 10));

        assertThat(new Spool(dir, 1 << 20).pending()).isEqualTo(1);
    }

    private static Spool.Entry entry(int number) {
        return new Spool.Entry(0, ByteBuffer.allocate(RECORD).putInt(number).array());
    }

    private static long directorySize(Path dir) {
        try (var files = Files.list(dir)) {
            return files.mapToLong(file -> file.toFile().length()).sum();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
