package dev.ringfence.feedback.ca;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleTest {
    @Test
    void aSensorPodUriNamesNamespacePodAndUid() {
        assertThat(Role.parse("ringfence://sensor-pod/ringfence/ringfence-sensor-x7k2p/5f0c1e2a-9b1d-4c3e-8f00-1234567890ab"))
                .contains(new PeerIdentity(Role.SENSOR_POD, "ringfence/ringfence-sensor-x7k2p/5f0c1e2a-9b1d-4c3e-8f00-1234567890ab"));
        assertThat(Role.parse("ringfence://node/worker-1")).contains(new PeerIdentity(Role.NODE, "worker-1"));
    }

    @Test
    void malformedSensorPodUrisAndSlashesInOtherNamesAreRefused() {
        assertThat(Role.parse("ringfence://sensor-pod/ringfence/ringfence-sensor-x7k2p")).isEmpty();
        assertThat(Role.parse("ringfence://sensor-pod/ringfence/pod/uid/extra")).isEmpty();
        assertThat(Role.parse("ringfence://sensor-pod/ringfence//uid")).isEmpty();
        assertThat(Role.parse("ringfence://sensor-pod/ringfence/../uid")).isEmpty();
        // what csi-driver would write if a variable were not expanded
        assertThat(Role.parse("ringfence://sensor-pod/${POD_NAMESPACE}/${POD_NAME}/${POD_UID}")).isEmpty();
        assertThat(Role.parse("ringfence://node/ringfence/worker-1")).isEmpty();
        assertThat(Role.parse("ringfence://node/${NODE_NAME}")).isEmpty();
    }
}
