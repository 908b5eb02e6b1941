package dev.ringfence.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.StorylineStep;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.kafka.ContractTopics;
import dev.ringfence.jobs.scenario.EventScript;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job stopped in the middle of a remote-exec chain and started again from its last checkpoint (exactly-once
 * delivery): the chain's alert keeps its id and grows by one revision, nothing is lost, nothing is duplicated.
 */
class RestartIT {
    // an upper bound for a loaded CI machine (a quiet run needs about a quarter of it), not a performance claim
    private static final Duration WAIT = Duration.ofSeconds(150);

    private static JobConfig config(String bootstrapServers) {
        JobConfig config = TestConfigs.scenario(bootstrapServers);
        config.kafka.delivery = "exactly-once";
        return config;
    }

    @Test
    void restartFromACheckpointInTheMiddleOfAChainNeitherLosesNorDuplicates(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(dir.resolve("kafka"));
                ContractTopics topics = new ContractTopics(kafka.bootstrapServers())) {
            ShopCluster shop = new ShopCluster().startup().background(3_200, 40_000);
            Proc shell = shop.remoteExec(40_000);
            Path checkpoint;
            try (RunningJob first = RingfenceJob.start(config(kafka.bootstrapServers()), dir.resolve("first"))) {
                first.awaitRunning(WAIT);
                topics.send(EventScript.inTimeOrder(shop.script.events()));
                topics.await(Topic.ALERTS, Alert.class, chainRan("/usr/bin/curl"), WAIT);
                checkpoint = first.awaitNewCheckpoint(WAIT);
            }
            int sent = shop.script.events().size();
            Proc payload = shop.payload(shell, 41_000);
            shop.background(41_100, 50_000);

            JobConfig restored = config(kafka.bootstrapServers());
            restored.pipeline.restoreFrom = checkpoint.toString();
            try (RunningJob second = RingfenceJob.start(restored, dir.resolve("second"))) {
                second.awaitRunning(WAIT);
                topics.send(EventScript.inTimeOrder(shop.script.events().subList(sent, shop.script.events().size())));
                List<Alert> alerts = topics.await(Topic.ALERTS, Alert.class, chainRan("/tmp/x"), WAIT);

                List<Alert> chain = alerts.stream().filter(a -> a.getRuleId().equals("RF-CHAIN-001")).toList();
                assertThat(chain).extracting(Alert::getAlertId).containsOnly(chain.getFirst().getAlertId());
                assertThat(chain).extracting(Alert::getRevision).doesNotHaveDuplicates().isSorted();
                assertThat(chain.getLast().getRevision()).isEqualTo(chain.size());
                assertThat(chain.getLast().getStoryline().getLast().getProcess().getExecId())
                        .isEqualTo(payload.execId());
                assertThat(alerts).extracting(a -> a.getAlertId() + "#" + a.getRevision()).doesNotHaveDuplicates();
                assertThat(topics.readAll(Topic.DECISIONS, Decision.class)).extracting(Decision::getDecisionId)
                        .isNotEmpty().doesNotHaveDuplicates();
            }
        }
    }

    private static Predicate<List<Alert>> chainRan(String binary) {
        return alerts -> alerts.stream().anyMatch(a -> a.getRuleId().equals("RF-CHAIN-001")
                && a.getStoryline().stream().map(StorylineStep::getProcess)
                        .anyMatch(p -> p != null && p.getBinary().equals(binary)));
    }
}
