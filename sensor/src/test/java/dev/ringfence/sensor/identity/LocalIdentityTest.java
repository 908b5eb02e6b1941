package dev.ringfence.sensor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.IdentitySource;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.WorkloadIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalIdentityTest {
    @TempDir
    Path root;

    @Test
    void declaredWorkloadsSystemdUnitsCgroupsAndTheHost() {
        CgroupTree tree = new CgroupTree(root);
        tree.remember(1, "/");
        tree.remember(2, "/system.slice/nginx.service");
        tree.remember(3, "/apps/web/worker");
        tree.remember(4, "/batch/job-7");
        List<IdentityUpdate> updates = new ArrayList<>();
        IdentityResolver resolver = new IdentityResolver("n1", "", tree,
                List.of(new LocalWorkload("web", "/apps/web", Map.of("tier", "front"), List.of("10.0.0.5"))), updates::add);

        assertThat(resolver.identityOf(1)).extracting(WorkloadIdentity::getWorkloadKey, WorkloadIdentity::getWorkloadKind)
                .containsExactly("host/n1/n1", "Host");
        assertThat(resolver.identityOf(2)).extracting(WorkloadIdentity::getWorkloadKey, WorkloadIdentity::getWorkloadKind)
                .containsExactly("host/n1/nginx.service", "SystemdUnit");
        WorkloadIdentity web = resolver.identityOf(3);
        assertThat(web.getWorkloadKey()).isEqualTo("host/n1/web");
        assertThat(web.getLabels()).containsEntry("tier", "front");
        assertThat(web.getPodIps()).containsExactly("10.0.0.5");
        assertThat(web.getSource()).isEqualTo(IdentitySource.LOCAL_HOST);
        assertThat(resolver.identityOf(4).getWorkloadKey()).isEqualTo("host/n1/batch/job-7");
        assertThat(updates).hasSize(4);

        resolver.identityOf(3);
        assertThat(updates).as("a cached identity is not announced again").hasSize(4);

        resolver.register(new LocalWorkload("batch", "/batch", Map.of(), List.of()));
        assertThat(resolver.identityOf(4).getWorkloadKey()).isEqualTo("host/n1/batch");
        assertThat(updates.getLast().getWorkload().getWorkloadKey()).isEqualTo("host/n1/batch");
    }

    @Test
    void aWorkloadWithANamespaceIsNamedLikeAPod() {
        CgroupTree tree = new CgroupTree(root);
        tree.remember(5, "/demo/shop-api");
        tree.remember(6, "/demo/shop-db");
        IdentityResolver resolver = new IdentityResolver("n1", "", tree, List.of(
                new LocalWorkload("api", "/demo/shop-api", Map.of("app", "api"), List.of("10.244.1.11"), "shop"),
                new LocalWorkload("db", "/demo/shop-db", Map.of(), List.of())), updates -> {});

        WorkloadIdentity api = resolver.identityOf(5);
        assertThat(api).extracting(WorkloadIdentity::getWorkloadKey, WorkloadIdentity::getNamespace, WorkloadIdentity::getPodName,
                WorkloadIdentity::getWorkloadKind, WorkloadIdentity::getWorkloadName)
                .containsExactly("shop/Pod/api", "shop", "api", "Pod", "api");
        assertThat(api.getLabels()).containsEntry("app", "api");
        assertThat(api.getPodIps()).containsExactly("10.244.1.11");
        assertThat(resolver.identityOf(6).getWorkloadKey()).as("no namespace: a host workload").isEqualTo("host/n1/db");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LocalWorkload("x", "/x", Map.of(), List.of(), "Shop"))
                .hasMessageContaining("namespace");
    }
}
