package dev.ringfence.sensor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PairedRoundsTest {
    /** 1..100 ms, scaled and shifted: nearest rank puts p50 at the 50th value and p99 at the 99th. */
    private static long[] millis(double scale, long shiftMillis) {
        return LongStream.rangeClosed(1, 100).map(ms -> (long) (ms * scale * 1_000_000) + shiftMillis * 1_000_000).toArray();
    }

    @Test
    void figuresAreMediansOfPerRoundPairs() {
        PairedRounds rounds = new PairedRounds();
        rounds.add(millis(1, 0), millis(1, 1));     // +1 ms everywhere
        rounds.add(millis(2, 0), millis(2, 3));     // a slow round: +3 ms
        rounds.add(millis(1, 0), millis(1, 2));     // +2 ms

        assertThat(rounds.rounds()).isEqualTo(3);
        assertThat(rounds.baselineMillis(50)).isCloseTo(50, within(1e-9));           // 50, 100, 50
        assertThat(rounds.treatmentMillis(99)).isCloseTo(101, within(1e-9));         // 100, 201, 101
        assertThat(rounds.differenceMillis(99)).isCloseTo(2, within(1e-9));          // 1, 3, 2
        assertThat(rounds.differenceMillis(50)).isCloseTo(2, within(1e-9));
        assertThat(rounds.ratio(99)).isCloseTo(201.0 / 198, within(1e-9));           // 100/99, 201/198, 101/99
    }

    @Test
    void anEvenNumberOfRoundsTakesTheMeanOfTheMiddleTwo() {
        PairedRounds rounds = new PairedRounds();
        rounds.add(millis(1, 0), millis(1, 1));
        rounds.add(millis(1, 0), millis(1, 4));
        assertThat(rounds.differenceMillis(99)).isCloseTo(2.5, within(1e-9));
    }

    @Test
    void aRoundNeedsSamplesOnBothSidesAndFiguresNeedRounds() {
        PairedRounds rounds = new PairedRounds();
        assertThatThrownBy(() -> rounds.add(new long[0], new long[] {1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rounds.differenceMillis(99)).isInstanceOf(IllegalStateException.class);
    }
}
