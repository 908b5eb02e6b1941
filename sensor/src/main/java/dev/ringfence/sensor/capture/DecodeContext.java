package dev.ringfence.sensor.capture;

import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.sensor.identity.IdentityResolver;
import dev.ringfence.sensor.process.ProcessTable;

/** What decoding a kernel record needs besides its bytes: the node, identities, known processes. */
public record DecodeContext(String node, IdentityResolver identities, ProcessTable processes) {
    public WorkloadIdentity workload(long cgroupId) {
        return identities.identityOf(cgroupId);
    }
}
