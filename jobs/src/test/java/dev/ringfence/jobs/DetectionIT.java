package dev.ringfence.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ServiceEdge;
import dev.ringfence.contract.StepKind;
import dev.ringfence.contract.StorylineStep;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.kafka.ContractTopics;
import dev.ringfence.jobs.respond.ResponsePolicy;
import dev.ringfence.jobs.scenario.EventScript;
import dev.ringfence.jobs.scenario.Pod;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a MiniCluster (parallelism 2) against a real Kafka broker: first the shop's benign
 * background alone, which must raise nothing; then the same background with a scan, a remote-exec chain across
 * the two nodes and an exfiltration, which must raise exactly the expected alerts and decisions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetectionIT {
    // an upper bound for a loaded CI machine (a quiet run needs about a quarter of it), not a performance claim
    private static final Duration WAIT = Duration.ofSeconds(150);

    private EmbeddedKafka kafka;
    private ContractTopics topics;
    private RunningJob job;
    private final ShopCluster shop = new ShopCluster();

    @BeforeAll
    void startJob(@TempDir Path workDir) throws Exception {
        kafka = EmbeddedKafka.launch(workDir.resolve("kafka"));
        topics = new ContractTopics(kafka.bootstrapServers());
        JobConfig config = TestConfigs.scenario(kafka.bootstrapServers());
        config.pipeline.parallelism = 2;
        config.policy = ResponsePolicy.read(Path.of("src/test/resources/policies/shop.yaml"));
        job = RingfenceJob.start(config, workDir.resolve("flink")).awaitRunning(WAIT);
    }

    @AfterAll
    void stopJob() throws Exception {
        if (job != null) {
            job.close();
        }
        if (topics != null) {
            topics.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void benignBackgroundAloneRaisesNothing() throws Exception {
        shop.startup().background(3_200, 120_000).sentinels("canary", 120_000);
        topics.send(EventScript.inTimeOrder(shop.script.events()));
        awaitSentinels("canary");

        assertThat(topics.readAll(Topic.ALERTS, Alert.class)).isEmpty();
        assertThat(topics.readAll(Topic.DECISIONS, Decision.class)).isEmpty();
        List<ServiceEdge> edges = topics.readAll(Topic.SERVICE_GRAPH, ServiceEdge.class);
        assertThat(edges).extracting(ServiceEdge::getEdgeId).contains(
                "shop/Deployment/frontend|shop/Deployment/api|TCP|8080",
                "shop/Deployment/api|shop/StatefulSet/postgres|TCP|5432",
                "ops/CronJob/report|shop/StatefulSet/postgres|TCP|5432");
    }

    @Test
    @Order(2)
    void attacksRaiseExactlyTheExpectedAlertsAndDecisions() throws Exception {
        int before = shop.script.events().size();
        shop.background(120_100, 200_000).scan(130_000);
        Proc shell = shop.remoteExec(140_000);
        Proc payload = shop.payload(shell, 141_000);
        shop.exfiltration(150_000);
        List<Event> phase = EventScript.inTimeOrder(shop.script.events().subList(before, shop.script.events().size()));
        // a cron exec reported 60 s late: counted as late, still folded into the process tree (no alert)
        Event late = phase.stream().filter(e -> e.getTimeNs() > EventScript.timeNs(125_000)
                && e.getPayload() instanceof ProcessExec exec && exec.getBinary().equals("/bin/sh")).findFirst()
                .orElseThrow();
        phase.remove(late);
        phase.add(late);
        topics.send(phase);
        // bytes that are no event, and an event whose exec id names another node: dead letters, not failures
        topics.sendRaw("node-a".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
        Event forged = Event.newBuilder(late).setNode("node-z").build();
        topics.sendRaw("node-z".getBytes(StandardCharsets.UTF_8), ContractCodec.of(Event.class).encode(forged));
        shop.sentinels("canary2", 200_000);
        topics.send(EventScript.inTimeOrder(
                shop.script.events().subList(shop.script.events().size() - 6, shop.script.events().size())));
        awaitSentinels("canary2");

        Map<String, Alert> alerts = latestRevisions(topics.await(Topic.ALERTS, Alert.class,
                records -> latestRevisions(records).values().stream()
                        .anyMatch(a -> a.getRuleId().equals("RF-CHAIN-001") && a.getStoryline().size() == 5
                                && a.getRevision() >= 3), WAIT));
        assertThat(alerts.values()).extracting(Alert::getRuleId).containsExactlyInAnyOrder(
                "RF-SCAN-001", "RF-EDGE-001", "RF-CHAIN-001", "RF-EXEC-001", "RF-EXFIL-001");

        Alert chain = byRule(alerts, "RF-CHAIN-001");
        assertThat(chain.getStoryline()).extracting(StorylineStep::getKind).containsExactly(StepKind.CONNECT,
                StepKind.ACCEPT, StepKind.PROCESS_EXEC, StepKind.PROCESS_EXEC, StepKind.PROCESS_EXEC);
        assertThat(chain.getStoryline()).extracting(StorylineStep::getNode)
                .containsExactly("node-a", "node-b", "node-b", "node-b", "node-b");
        assertThat(chain.getStoryline()).extracting(step -> step.getProcess().getBinary()).containsExactly(
                "/usr/bin/python3", "/usr/local/bin/api-server", "/bin/sh", "/usr/bin/curl", "/tmp/x");
        assertThat(chain.getEvidence()).containsEntry("source_workload", "shop/Deployment/frontend");
        assertThat(chain.getStorylineExecIds()).contains(shell.execId(), payload.execId());

        assertThat(byRule(alerts, "RF-SCAN-001").getWorkload().getWorkloadKey()).isEqualTo("shop/Deployment/frontend");
        assertThat(byRule(alerts, "RF-EDGE-001").getDestinationWorkload().getWorkloadKey())
                .isEqualTo("shop/StatefulSet/postgres");
        assertThat(byRule(alerts, "RF-EXEC-001").getStoryline()).extracting(s -> s.getProcess().getBinary())
                .containsExactly("/bin/sh", "/usr/bin/curl", "/tmp/x");
        assertThat(byRule(alerts, "RF-EXFIL-001").getDestination().getIp()).isEqualTo(ShopCluster.EXFIL_DESTINATION);

        List<Decision> decisions = topics.await(Topic.DECISIONS, Decision.class, records -> records.size() >= 5, WAIT);
        assertThat(decisions).extracting(Decision::getDecisionId).doesNotHaveDuplicates();
        assertThat(decisions).extracting(d -> d.getRuleId() + " " + d.getAction() + " dryRun=" + d.getDryRun())
                .containsExactlyInAnyOrder(
                        "RF-CHAIN-001 KILL_PROCESS dryRun=false",
                        "RF-EXEC-001 KILL_PROCESS dryRun=false",
                        "RF-SCAN-001 ISOLATE_WORKLOAD dryRun=true",
                        "RF-EDGE-001 BLOCK_CONNECTION dryRun=true",
                        "RF-EXFIL-001 BLOCK_CONNECTION dryRun=true");
        Decision kill = decisions.stream().filter(d -> d.getRuleId().equals("RF-CHAIN-001")).findFirst().orElseThrow();
        assertThat(kill.getTarget().getNode()).isEqualTo("node-b");
        assertThat(kill.getTarget().getExecId()).isEqualTo(shell.execId());
        assertThat(kill.getIssuer()).isEqualTo("ringfence-jobs");
        assertThat(kill.getExpiresNs()).isGreaterThan(kill.getIssuedNs());
        Decision block = decisions.stream().filter(d -> d.getRuleId().equals("RF-EXFIL-001")).findFirst()
                .orElseThrow();
        assertThat(block.getTarget().getDestinationCidr()).isEqualTo(ShopCluster.EXFIL_DESTINATION + "/32");
        assertThat(block.getTarget().getDestinationPort()).isEqualTo(443);
        assertThat(block.getTtlMs()).isEqualTo(3_600_000);

        List<DeadLetter> deadLetters = topics.await(Topic.DEAD_LETTER, DeadLetter.class, r -> r.size() >= 2, WAIT);
        assertThat(deadLetters).extracting(DeadLetter::getReason).anySatisfy(
                reason -> assertThat(reason).startsWith("undecodable: not Avro single-object encoding"));
        assertThat(deadLetters).extracting(DeadLetter::getReason).anySatisfy(
                reason -> assertThat(reason).startsWith("invalid: exec_id").contains("node-z"));
        assertThat(job.status().isGloballyTerminalState()).isFalse();
    }

    @Test
    @Order(3)
    void anEdgeStillResolvesWhenThePeersIdentityArrivesAfterTheFlow() throws Exception {
        Pod search = new Pod("node-b", "shop", "Deployment", "search", "search-0", "10.1.1.60", 23);
        int before = shop.script.events().size();
        Proc server = shop.script.exec(search, null, 210_000, "/usr/local/bin/search");
        shop.script.call(shop.frontendApp, server, 9200, 211_000);
        List<Event> traffic = EventScript.inTimeOrder(shop.script.events().subList(before, shop.script.events().size()));
        shop.script.identity(search, 209_000);
        Event identity = shop.script.events().getLast();

        // what a lagging partition does: node-b's update of the pod reaches the job after node-a's flow to it
        topics.send(traffic);
        Thread.sleep(2_000);
        topics.send(List.of(identity));

        String edge = "shop/Deployment/frontend|shop/Deployment/search|TCP|9200";
        List<ServiceEdge> edges = topics.await(Topic.SERVICE_GRAPH, ServiceEdge.class,
                records -> records.stream().anyMatch(e -> e.getEdgeId().equals(edge)), WAIT);
        assertThat(edges).filteredOn(e -> e.getEdgeId().equals(edge)).first()
                .satisfies(e -> assertThat(e.getConnections()).isEqualTo(1));
    }

    private void awaitSentinels(String name) throws InterruptedException {
        Set<String> wanted = Set.of(ShopCluster.sentinelEdge(name, "node-a"), ShopCluster.sentinelEdge(name, "node-b"));
        topics.await(Topic.SERVICE_GRAPH, ServiceEdge.class,
                edges -> edges.stream().map(ServiceEdge::getEdgeId).collect(Collectors.toSet()).containsAll(wanted),
                WAIT);
        // the sentinels went through lineage; give the detectors downstream of it a moment to drain
        Thread.sleep(2_000);
    }

    private static Map<String, Alert> latestRevisions(List<Alert> alerts) {
        BinaryOperator<Alert> newest = (a, b) -> a.getRevision() >= b.getRevision() ? a : b;
        return alerts.stream().collect(Collectors.toMap(Alert::getAlertId, a -> a, newest));
    }

    private static Alert byRule(Map<String, Alert> alerts, String ruleId) {
        return alerts.values().stream().filter(a -> a.getRuleId().equals(ruleId)).findFirst().orElseThrow();
    }
}
