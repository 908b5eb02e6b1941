package dev.ringfence.allinone.demo;

import dev.ringfence.contract.Decision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where one containment's time went, from the records the stages wrote, all on this host's clock: the attack action
 * to the job issuing the decision (sensor, events topic, the Flink job), to the feedback service receiving it
 * (decisions topic), to the sensor reporting it applied (routing, mTLS link, the kernel call), to the effect the
 * attack saw. A leg can be slightly negative: the effect can be seen before the sensor's own report of it.
 */
record ContainmentPath(double toDecisionMs, double toFeedbackMs, double toSensorMs, double toEffectMs) {
    /** The legs, in order, by the names the benchmark reports them under. */
    Map<String, Double> legs() {
        Map<String, Double> legs = new LinkedHashMap<>();
        legs.put("action_to_decision", toDecisionMs);
        legs.put("decision_to_feedback", toFeedbackMs);
        legs.put("feedback_to_sensor", toSensorMs);
        legs.put("sensor_to_effect", toEffectMs);
        return legs;
    }

    String describe() {
        return String.format("decision +%.1f, feedback +%.1f, sensor +%.1f, effect %+.1f ms", toDecisionMs, toFeedbackMs, toSensorMs,
                toEffectMs);
    }

    /**
     * The path of the decision that contained the attack: of the enforced decisions for {@code workloadKey} issued at or
     * after the action (the job's clock has millisecond resolution) and applied by the sensor, the first issued. Any
     * rule's: in the chain, the unexpected shell's kill can land before the storyline's. Empty when none is recorded.
     */
    static Optional<ContainmentPath> of(DemoRecorder recorder, String workloadKey, double actionMs, double effectMs) {
        for (DemoRecorder.Seen<Decision> seen : recorder.decisions()) {
            Decision decision = seen.record();
            if (decision.getDryRun() || decision.getTarget().getWorkload() == null
                    || !workloadKey.equals(decision.getTarget().getWorkload().getWorkloadKey())
                    || decision.getIssuedNs() / 1e6 < Math.floor(actionMs) - 1) {
                continue;
            }
            Optional<Long> received = recorder.receivedByFeedbackNs(decision.getDecisionId());
            Optional<Long> applied = recorder.appliedBySensorNs(decision.getDecisionId());
            if (received.isPresent() && applied.isPresent()) {
                double issuedMs = decision.getIssuedNs() / 1e6;
                double receivedMs = received.get() / 1e6;
                double appliedMs = applied.get() / 1e6;
                return Optional.of(new ContainmentPath(tenths(issuedMs - actionMs), tenths(receivedMs - issuedMs),
                        tenths(appliedMs - receivedMs), tenths(effectMs - appliedMs)));
            }
        }
        return Optional.empty();
    }

    /** Epoch milliseconds as doubles carry ~0.0002 ms of rounding: the legs are given to 0.1 ms. */
    private static double tenths(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}
