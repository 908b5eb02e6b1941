package dev.ringfence.jobs.detect.scan;

import dev.ringfence.jobs.config.Check;
import java.io.Serializable;

/** Internal scan (RF-SCAN-001): weighted distinct internal peers (ip:port) of one workload within a window. */
public final class ScanSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean enabled = true;
    public long windowMs = 60_000;
    /** Weighted distinct peers that make a scan: a successful connect weighs 1. */
    public double threshold = 20;
    /** Failed, reset or refused connects say more about probing than successful ones. */
    public double failedConnectWeight = 2;
    /** An open scan alert is revised after this many further distinct peers. */
    public int reviseEveryPeers = 10;

    public void validate() {
        Check.positive("detectors.scan.windowMs", windowMs);
        Check.atLeast("detectors.scan.threshold", threshold, 1);
        Check.atLeast("detectors.scan.failedConnectWeight", failedConnectWeight, 1);
        Check.positive("detectors.scan.reviseEveryPeers", reviseEveryPeers);
    }
}
