package dev.ringfence.feedback.route;

/** Where a tracked decision stands. */
public enum EnforcementState {
    /** Waiting for the node's ack: in flight, or the node is offline. */
    AWAITING_ACK,
    /** The sensor applied it; lasts until its TTL or a release. */
    ENFORCED,
    /** Recorded what would have happened, nothing enforced. */
    DRY_RUN
}
