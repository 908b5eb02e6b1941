package dev.ringfence.feedback.route;

import dev.ringfence.contract.Decision;

/** A decision the service still answers for, and its delivery so far. Mutated on the decision loop only. */
public final class TrackedDecision {
    private final Decision decision;
    private final byte[] bytes;
    private final String actor;
    private final long receivedNanos;
    private final long receivedEpochNs;
    private EnforcementState state;
    private int attempts;
    private long lastSentNanos;
    private long untilEpochNs;

    TrackedDecision(Decision decision, byte[] bytes, String actor, long receivedNanos, long receivedEpochNs, EnforcementState state) {
        this.decision = decision;
        this.bytes = bytes;
        this.actor = actor;
        this.receivedNanos = receivedNanos;
        this.receivedEpochNs = receivedEpochNs;
        this.state = state;
    }

    public Decision decision() {
        return decision;
    }

    public String id() {
        return decision.getDecisionId();
    }

    public String node() {
        return decision.getTarget().getNode();
    }

    byte[] bytes() {
        return bytes;
    }

    public String actor() {
        return actor;
    }

    long receivedNanos() {
        return receivedNanos;
    }

    public long receivedEpochNs() {
        return receivedEpochNs;
    }

    public EnforcementState state() {
        return state;
    }

    public int attempts() {
        return attempts;
    }

    /** End of the TTL in epoch ns; 0 while awaiting an ack, or when it lasts until released. */
    public long untilEpochNs() {
        return untilEpochNs;
    }

    long lastSentNanos() {
        return lastSentNanos;
    }

    void sent(long nanos) {
        attempts++;
        lastSentNanos = nanos;
    }

    void settle(EnforcementState settled, long nowEpochNs) {
        state = settled;
        untilEpochNs = decision.getTtlMs() > 0 ? nowEpochNs + decision.getTtlMs() * 1_000_000L : 0;
    }
}
