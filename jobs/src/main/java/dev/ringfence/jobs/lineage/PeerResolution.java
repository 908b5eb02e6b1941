package dev.ringfence.jobs.lineage;

/** How a flow's remote workload was resolved, so each consumer reads one copy of a flow report. */
public enum PeerResolution {
    /** Resolved when the report arrived, or needs no resolving (egress, not a flow). */
    AT_ONCE,
    /**
     * The peer's IP was not known yet: an early copy of a new outbound connection, for the scan detector only.
     * The report itself is held and follows as {@link #AFTER_HOLD}.
     */
    PENDING,
    /** Held until the peer's identity update arrived (resolved) or the hold ran out (unresolved). */
    AFTER_HOLD
}
