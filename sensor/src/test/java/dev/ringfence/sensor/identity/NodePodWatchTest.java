package dev.ringfence.sensor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The sensor asks the API server for this node's pods only: list and watch both carry the field selector
 * spec.nodeName=<node> (a CRUD mock server ignores field selectors, so this one answers exact requests).
 */
@EnableKubernetesMockClient
class NodePodWatchTest {
    private static final String SELECTOR = "fieldSelector=spec.nodeName%3Dnode-1";

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void listsAndWatchesOnlyThePodsOfItsNode() throws Exception {
        server.expect().get().withPath("/api/v1/pods?" + SELECTOR + "&resourceVersion=0")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("5").endMetadata()
                        .addToItems(pod("listed", "u-1", "5")).build()).once();
        server.expect().get().withPath("/api/v1/pods?allowWatchBookmarks=true&" + SELECTOR + "&resourceVersion=5&timeoutSeconds=600&watch=true")
                .andUpgradeToWebSocket().open()
                .waitFor(200).andEmit(new WatchEvent(pod("watched", "u-2", "6"), "ADDED"))
                .done().once();
        List<String> changed = new CopyOnWriteArrayList<>();

        try (PodDirectory pods = PodDirectory.ofNode(client, "node-1", changed::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (pods.byUid("u-2").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pods.byUid("u-1")).map(PodDirectory.PodView::podName).contains("listed");
            assertThat(pods.byUid("u-2")).map(PodDirectory.PodView::podName).contains("watched");
            assertThat(changed).contains("u-1", "u-2");
        }
    }

    private static Pod pod(String name, String uid, String resourceVersion) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withUid(uid)
                .withResourceVersion(resourceVersion).endMetadata()
                .withNewSpec().withNodeName("node-1").endSpec().build();
    }
}
