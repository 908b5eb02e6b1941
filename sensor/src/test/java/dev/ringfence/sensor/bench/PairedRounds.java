package dev.ringfence.sensor.bench;

import dev.ringfence.feedback.bench.DeliveryBench;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * Latency samples of a baseline and a treatment taken round by round on a noisy machine: every
 * figure is the median over rounds of a per-round figure (a percentile, or the treatment's
 * percentile minus or divided by the same round's baseline percentile), so a round slowed by
 * other load is compared with its own baseline only.
 */
final class PairedRounds {
    private final List<long[]> baseline = new ArrayList<>();
    private final List<long[]> treatment = new ArrayList<>();

    /** One round's samples in ns. */
    void add(long[] baselineNanos, long[] treatmentNanos) {
        if (baselineNanos.length == 0 || treatmentNanos.length == 0) {
            throw new IllegalArgumentException("a round needs samples on both sides");
        }
        baseline.add(baselineNanos);
        treatment.add(treatmentNanos);
    }

    int rounds() {
        return baseline.size();
    }

    double baselineMillis(double percent) {
        return perRound(percent, (base, treated) -> base) / 1e6;
    }

    double treatmentMillis(double percent) {
        return perRound(percent, (base, treated) -> treated) / 1e6;
    }

    /** Median over rounds of treatment minus baseline at that percentile, ms. */
    double differenceMillis(double percent) {
        return perRound(percent, (base, treated) -> treated - base) / 1e6;
    }

    /** Median over rounds of treatment over baseline at that percentile. */
    double ratio(double percent) {
        return perRound(percent, (base, treated) -> treated / base);
    }

    private double perRound(double percent, ToDoubleBiFunction<Double, Double> figure) {
        if (baseline.isEmpty()) {
            throw new IllegalStateException("no rounds");
        }
        List<Double> figures = new ArrayList<>();
        for (int round = 0; round < baseline.size(); round++) {
            figures.add(figure.applyAsDouble((double) DeliveryBench.percentile(baseline.get(round), percent),
                    (double) DeliveryBench.percentile(treatment.get(round), percent)));
        }
        return SensorBench.median(figures);
    }
}
