package dev.ringfence.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.IdentityChange;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.jobs.scenario.Pod;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpTableTest {
    private final Map<String, IpBinding[]> bindings = new HashMap<>();
    private final Map<String, String[]> pods = new HashMap<>();
    private final IpTable table = new IpTable(new IpTable.Store() {
        @Override
        public IpBinding[] bindings(String ip) {
            return bindings.get(ip);
        }

        @Override
        public void putBindings(String ip, IpBinding[] value) {
            bindings.put(ip, value);
        }

        @Override
        public String[] podIps(String pod) {
            return pods.get(pod);
        }

        @Override
        public void putPodIps(String pod, String[] ips) {
            pods.put(pod, ips);
        }
    }, 5);

    private final Pod first = new Pod("n", "a", "Deployment", "first", "first-1", "10.0.0.7", 1);
    private final Pod second = new Pod("n", "b", "Deployment", "second", "second-1", "10.0.0.7", 2);

    private void apply(Pod pod, IdentityChange change, long timeMs) throws Exception {
        table.apply(new IdentityUpdate(change, pod.identity()), timeMs * 1_000_000L);
    }

    private String at(long timeMs) throws Exception {
        var workload = table.resolve("10.0.0.7", timeMs * 1_000_000L);
        return workload == null ? null : workload.getWorkloadKey();
    }

    @Test
    void aReusedIpResolvesToWhoHeldItAtTheTime() throws Exception {
        apply(first, IdentityChange.UPSERT, 100);
        apply(first, IdentityChange.DELETE, 200);
        apply(second, IdentityChange.UPSERT, 300);

        assertThat(at(150)).isEqualTo("a/Deployment/first");
        assertThat(at(250)).isNull();
        assertThat(at(1_000)).isEqualTo("b/Deployment/second");
        // a flow reported just before its pod's identity update still resolves (grace 5 ms)
        assertThat(at(97)).isEqualTo("a/Deployment/first");
        assertThat(at(50)).isNull();
    }

    @Test
    void anUpsertTakingAnIpFromAnotherPodClosesTheOlderBinding() throws Exception {
        apply(first, IdentityChange.UPSERT, 100);
        apply(second, IdentityChange.UPSERT, 300);
        assertThat(at(200)).isEqualTo("a/Deployment/first");
        assertThat(at(400)).isEqualTo("b/Deployment/second");
    }

    @Test
    void historyPerIpIsBounded() throws Exception {
        for (int i = 0; i < 20; i++) {
            apply(i % 2 == 0 ? first : second, IdentityChange.UPSERT, 100L * i);
        }
        assertThat(bindings.get("10.0.0.7")).hasSize(IpTable.HISTORY);
        assertThat(at(1_950)).isEqualTo("b/Deployment/second");
    }
}
