package dev.ringfence.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineageFunctionTest {
    private final JobConfig config = TestConfigs.harness();

    @Test
    void execCarriesItsAncestryNearestFirst() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 20_000);
        List<Observation> observations = Replay.lineage(config, shop.script.events());

        Observation report = observations.stream()
                .filter(o -> o.exec() != null && o.process.getBinary().equals("/usr/local/bin/report"))
                .findFirst().orElseThrow();
        assertThat(Arrays.stream(report.ancestry).map(ProcessRef::getBinary))
                .containsExactly("/bin/sh", "/usr/sbin/cron");
        assertThat(report.workloadKey()).isEqualTo("ops/CronJob/report");
    }

    @Test
    void pidReuseDoesNotMixUpProcesses() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        Proc shell = shop.remoteExec(10_000);
        List<Observation> observations = Replay.lineage(config, shop.script.events());

        Observation curl = observations.stream()
                .filter(o -> o.exec() != null && o.process.getBinary().equals("/usr/bin/curl"))
                .findFirst().orElseThrow();
        // the shell reused the pid of the exited migrate process: the exec id keeps them apart
        assertThat(curl.ancestry[0].getExecId()).isEqualTo(shell.execId());
        assertThat(curl.ancestry[0].getBinary()).isEqualTo("/bin/sh");
        assertThat(curl.ancestry[1].getBinary()).isEqualTo("/usr/local/bin/api-server");
    }

    @Test
    void flowsAreAttributedAndTheRemoteIpResolvesAsOfTheFlowTime() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 6_000);
        List<Observation> observations = Replay.lineage(config, shop.script.events());

        List<Observation> acceptedByApi = observations.stream()
                .filter(o -> o.flow() != null && o.flow().getDirection() == FlowDirection.INBOUND
                        && o.flow().getRemote().getIp().equals("10.1.0.10"))
                .toList();
        // 10.1.0.10 belonged to the old batch pod at 1 s, to the frontend from 3 s on
        assertThat(acceptedByApi.getFirst().remoteWorkloadKey()).isEqualTo("ops/Deployment/old-batch");
        assertThat(acceptedByApi.getLast().remoteWorkloadKey()).isEqualTo("shop/Deployment/frontend");
        assertThat(acceptedByApi).allSatisfy(o -> {
            assertThat(o.process.getBinary()).isEqualTo("/usr/local/bin/api-server");
            assertThat(o.remoteInternal).isTrue();
        });
    }

    @Test
    void repeatedReportsOfOneFlowGiveByteDeltasAndOneFirstReport() throws Exception {
        ShopCluster shop = new ShopCluster().startup().exfiltration(5_000);
        List<Observation> reports = Replay.lineage(config, shop.script.events()).stream()
                .filter(o -> o.flow() != null && o.flow().getRemote().getIp().equals(ShopCluster.EXFIL_DESTINATION))
                .toList();

        assertThat(reports).extracting(o -> o.firstReport).containsExactly(true, false, false);
        assertThat(reports).extracting(o -> o.bytesSentDelta).containsExactly(20L << 20, 25L << 20, 25L << 20);
        assertThat(reports).allSatisfy(o -> assertThat(o.remoteInternal).isFalse());
    }
}
