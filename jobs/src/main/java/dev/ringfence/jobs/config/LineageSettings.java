package dev.ringfence.jobs.config;

import dev.ringfence.jobs.lineage.ClusterNetworks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Process tree, IP table and connection join settings. */
public final class LineageSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Ancestors carried with every observation, nearest first. */
    public int ancestryDepth = 8;
    /** A process not seen (read or written) this long is forgotten, exited or not. */
    public long processIdleTtlMs = 24 * 3_600_000L;
    /** An exited process stays known this long (late children, late flows). */
    public long exitRetentionMs = 5 * 60_000L;
    /** Addresses inside these CIDRs are east-west; anything else is egress. */
    public List<String> clusterCidrs = new ArrayList<>(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"));
    /** A flow seen shortly before the identity update of its peer IP still resolves to it. */
    public long ipBindingGraceMs = 5_000;
    /**
     * An east-west flow whose peer IP no identity update has named yet waits this long (wall clock) for it: the
     * update may come through another partition, behind the flow. 0 resolves at once and never waits.
     */
    public long peerIdentityHoldMs = 5_000;
    /** How long one side of a connection waits for the other side's flow. */
    public long connectionJoinTtlMs = 10 * 60_000L;
    /** A service-graph edge is re-published at most this often while it changes. */
    public long edgeEmitIntervalMs = 10_000;

    void validate() {
        Check.positive("lineage.ancestryDepth", ancestryDepth);
        Check.positive("lineage.processIdleTtlMs", processIdleTtlMs);
        Check.positive("lineage.exitRetentionMs", exitRetentionMs);
        Check.notEmpty("lineage.clusterCidrs", clusterCidrs);
        try {
            ClusterNetworks.of(clusterCidrs);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("lineage.clusterCidrs: " + e.getMessage(), e);
        }
        Check.atLeast("lineage.ipBindingGraceMs", ipBindingGraceMs, 0);
        Check.atLeast("lineage.peerIdentityHoldMs", peerIdentityHoldMs, 0);
        Check.positive("lineage.connectionJoinTtlMs", connectionJoinTtlMs);
        Check.positive("lineage.edgeEmitIntervalMs", edgeEmitIntervalMs);
    }
}
