package dev.ringfence.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.FlowEnd;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.scenario.EventScript;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerJoinFunctionTest {
    private final JobConfig config = TestConfigs.harness();

    private List<Observation> bothSidesOfOneCall() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        shop.script.call(shop.frontendApp, shop.apiServer, 8080, 5_000);
        return Replay.lineage(config, shop.script.events()).stream()
                .filter(o -> o.flow() != null && o.timeNs() >= EventScript.timeNs(5_000))
                .toList();
    }

    @Test
    void bothReportsOfAConnectionShareOneKey() throws Exception {
        List<Observation> sides = bothSidesOfOneCall();
        assertThat(sides).hasSize(2);
        assertThat(PeerJoinFunction.connectionKey(sides.get(0))).isEqualTo(PeerJoinFunction.connectionKey(sides.get(1)));
    }

    @Test
    void connectionsWithAnAddressNoWorkloadHoldsAreNotJoined() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        shop.script.inboundOnly(shop.apiServer, ShopCluster.KUBELET_IP, 8080, 5_000);
        shop.script.outbound(shop.frontendApp, "10.1.0.200", 22, 5_100, FlowEnd.REFUSED_BY_POLICY, 0);
        shop.script.call(shop.frontendApp, shop.apiServer, 8080, 5_200);
        List<Observation> flows = Replay.lineage(config, shop.script.events()).stream()
                .filter(o -> o.flow() != null && o.timeNs() >= EventScript.timeNs(5_000)).toList();

        // a kubelet probe and a probe of an empty address would wait alone until their TTL ran out
        assertThat(flows).filteredOn(PeerJoinFunction::isInput)
                .extracting(o -> o.flow().getRemote().getIp())
                .containsExactlyInAnyOrder(shop.apiServer.pod().ip(), shop.frontendApp.pod().ip());
    }

    @Test
    void theShopsBackgroundLeavesNothingWaitingInTheJoin() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 60_000);
        List<Observation> input = Replay.lineage(config, shop.script.events()).stream()
                .filter(PeerJoinFunction::isInput).toList();
        try (var harness = Replay.keyed(new PeerJoinFunction(600_000), PeerJoinFunction::connectionKey)) {
            List<Observation> joined = Replay.run(harness, input, o -> true);

            assertThat(joined).hasSize(input.size() / 2);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aReusedFourTupleIsPairedByStartWhenOneNodeRunsFarAhead() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        Proc curl = shop.script.exec(shop.frontend, shop.frontendApp, 4_000, "/usr/bin/curl", "http://api:8080/");
        shop.script.call(shop.frontendApp, shop.apiServer, 8080, 5_000);
        shop.script.call(curl, shop.apiServer, 8080, 125_000);
        List<Observation> sides = Replay.lineage(config, shop.script.events()).stream()
                .filter(o -> o.timeNs() >= EventScript.timeNs(5_000)).filter(PeerJoinFunction::isInput).toList();
        List<Observation> connects = sides.stream()
                .filter(o -> o.flow().getDirection() == FlowDirection.OUTBOUND).toList();
        List<Observation> accepts = sides.stream()
                .filter(o -> o.flow().getDirection() == FlowDirection.INBOUND).toList();
        // once TIME_WAIT is over the kernel may hand the client the same port again: one four-tuple, two connections
        int port = connects.getFirst().flow().getLocal().getPort();
        connects.getLast().flow().getLocal().setPort(port);
        accepts.getLast().flow().getRemote().setPort(port);

        try (var harness = Replay.keyed(new PeerJoinFunction(600_000), PeerJoinFunction::connectionKey)) {
            // node-a's reports are read far ahead of node-b's (a backlog, a lagging partition)
            List<Observation> joined = Replay.run(harness, List.of(connects.get(0), connects.get(1), accepts.get(0),
                    accepts.get(1)), o -> true);

            assertThat(joined).extracting(o -> o.peerProcess.getBinary())
                    .containsExactly("/usr/bin/python3", "/usr/bin/curl");
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aSideWhosePartnerNeverCameIsSweptOnceItsTtlRanOut() throws Exception {
        Observation inbound = bothSidesOfOneCall().stream()
                .filter(o -> o.flow().getDirection() == FlowDirection.INBOUND).findFirst().orElseThrow();
        long ttlMs = 60_000;
        try (var harness = Replay.keyed(new PeerJoinFunction(ttlMs), PeerJoinFunction::connectionKey)) {
            harness.processElement(inbound, 5_000);
            harness.setStateTtlProcessingTime(ttlMs - 1);
            harness.setProcessingTime(ttlMs - 1);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

            // nothing reads the key again: only the operator's own sweep can drop the lone side
            harness.setStateTtlProcessingTime(3 * ttlMs);
            harness.setProcessingTime(3 * ttlMs);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void theAcceptIsEmittedWithTheConnectingProcessOnceBothSidesReported() throws Exception {
        List<Observation> sides = bothSidesOfOneCall();
        Observation outbound = sides.stream().filter(o -> o.flow().getDirection() == FlowDirection.OUTBOUND)
                .findFirst().orElseThrow();
        Observation inbound = sides.stream().filter(o -> o.flow().getDirection() == FlowDirection.INBOUND)
                .findFirst().orElseThrow();
        try (var harness = Replay.keyed(new PeerJoinFunction(60_000), PeerJoinFunction::connectionKey)) {
            harness.processElement(inbound, 5_000);
            assertThat(harness.extractOutputValues()).isEmpty();
            harness.processElement(outbound, 5_000);
            List<Observation> out = harness.extractOutputValues();

            // joined: nothing is left in state for this connection
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(out).singleElement().satisfies(joined -> {
                assertThat(joined.peerProcess.getBinary()).isEqualTo("/usr/bin/python3");
                assertThat(joined.flow().getDirection()).isEqualTo(FlowDirection.INBOUND);
            });
        }
    }
}
