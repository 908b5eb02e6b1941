package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.k8s.render.Resource;
import dev.ringfence.k8s.render.YamlDocuments;
import dev.ringfence.k8s.source.ComponentSources;
import dev.ringfence.k8s.source.Repo;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every option a manifest passes is one the component's code accepts, the ones it requires are set, and
 * every file an option names is on a volume that holds it. Checked in every target.
 */
class ComponentArgsTest {
    @Test
    void theSensorIsStartedAsSensorRunWithOptionsItKnows() {
        for (String target : Manifests.TARGETS) {
            Resource sensor = Manifests.one(Manifests.rendered(target), "DaemonSet", "ringfence-sensor");
            JsonNode container = PodSpecs.container(sensor, "sensor");
            CommandLine command = accepted(target, container.path("args"), List.of("sensor", "run"),
                    ComponentSources.sensorRunOptions());
            assertThat(command.option("--node")).isEqualTo("$(NODE_NAME)");
            assertThat(container.at("/env/0/name").asText()).isEqualTo("NODE_NAME");
            assertThat(container.at("/env/0/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("spec.nodeName");
            assertThat(command.option("--metrics-port")).isEqualTo(port(container, "metrics"));
            String config = configMapFile(target, sensor, container, command.option("--config"));
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(config));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertThat(ComponentSources.sensorConfigKeys()).containsAll(properties.stringPropertyNames());
            assertThat(properties.getProperty("kubernetes")).isEqualTo("true");
            PodSpecs.volumeHolding(sensor, container, properties.getProperty("run.dir"));
        }
    }

    @Test
    void theFeedbackServiceServesOnItsContainerPortsWithTheCertificateDirectory() {
        for (String target : Manifests.TARGETS) {
            Resource feedback = Manifests.one(Manifests.rendered(target), "Deployment", "ringfence-feedback");
            JsonNode container = PodSpecs.container(feedback, "feedback");
            CommandLine command = accepted(target, container.path("args"), List.of("feedback", "serve"),
                    ComponentSources.feedbackServeOptions());
            assertThat(command.option("--port")).isEqualTo(port(container, "grpc"));
            assertThat(command.option("--metrics-port")).isEqualTo(port(container, "metrics"));
            String certs = command.option("--certs");
            JsonNode volume = PodSpecs.volumeHolding(feedback, container, certs);
            // the CA directory layout dev.ringfence.feedback.ca reads: ca.crt, services/<name>.crt|.key, issuers/
            assertThat(projectedPaths(volume)).contains("ca.crt", "services/feedback.crt", "services/feedback.key")
                    .anyMatch(path -> path.startsWith("issuers/"));
            PodSpecs.volumeHolding(feedback, container, command.option("--state"));
        }
    }

    @Test
    void theDetectionJobGetsThePolicyItsParallelismAndDurableCheckpoints() {
        for (String target : Manifests.TARGETS) {
            Resource job = Manifests.one(Manifests.rendered(target), "FlinkDeployment", "ringfence-jobs");
            JsonNode spec = job.body().path("spec");
            CommandLine command = accepted(target, spec.at("/job/args"), List.of(), ComponentSources.jobOptions());
            int parallelism = Integer.parseInt(command.option("--parallelism"));
            assertThat(parallelism).as(target).isEqualTo(spec.at("/job/parallelism").asInt())
                    .isLessThanOrEqualTo(Topic.EVENTS.partitions());
            assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
            assertThat(spec.at("/flinkConfiguration/execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
            String entryClass = spec.at("/job/entryClass").asText();
            assertThat(Repo.path("jobs/src/main/java/" + entryClass.replace('.', '/') + ".java")).exists();
            JsonNode container = PodSpecs.container(job, "flink-main-container");
            String policy = configMapFile(target, job, container, command.option("--policy"));
            // the job reads exactly the document the API server validated as the ResponsePolicy
            assertThat(policy).isEqualTo(read("k8s/base/policy/response-policy.yaml"));
            JsonNode config = YamlDocuments.parseValue(configMapFile(target, job, container, command.option("--config")));
            assertJobConfigKnown(config);
            // durable checkpoints, given once, in the file (the same URI as execution.checkpointing.dir)
            assertThat(command.options()).doesNotContainKey("--checkpoint-dir");
            assertThat(config.at("/pipeline/checkpointDir").asText())
                    .isEqualTo(spec.at("/flinkConfiguration/execution.checkpointing.dir").asText()).startsWith("s3://");
            assertThat(config.at("/kafka/delivery").asText()).isEqualTo("exactly-once");
        }
    }

    @Test
    void theJobConfigCheckAcceptsTheJobsOwnCompleteExample() throws IOException {
        assertJobConfigKnown(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Repo.path("jobs/examples/job-config.json").toFile()));
    }

    @Test
    void theJobConfigCheckRefusesAKeyOrValueTheJobDoesNotKnow() {
        assertThatThrownBy(() -> assertJobConfigKnown(YamlDocuments.parseValue("pipeline: {stateBackends: rocksdb}")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertJobConfigKnown(YamlDocuments.parseValue("kafka: {delivery: exactly-twice}")))
                .isInstanceOf(AssertionError.class);
    }

    /** Every key is a field of JobConfig or its sections (the job reads the file strictly), choices are valid. */
    private static void assertJobConfigKnown(JsonNode config) {
        Map<String, String> sections = Map.of("kafka", "KafkaSettings", "pipeline", "PipelineSettings",
                "lineage", "LineageSettings", "detectors", "DetectorSettings");
        assertThat(ComponentSources.jobConfigFields("JobConfig")).containsAll(iterable(config.fieldNames()));
        config.fields().forEachRemaining(section -> {
            if (section.getValue().isObject()) {
                assertThat(ComponentSources.jobConfigFields(sections.get(section.getKey())))
                        .as(section.getKey()).containsAll(iterable(section.getValue().fieldNames()));
            }
        });
        if (config.at("/kafka/delivery").isTextual()) {
            assertThat(ComponentSources.jobConfigChoices("KafkaSettings", "DELIVERIES")).contains(config.at("/kafka/delivery").asText());
        }
        if (config.at("/pipeline/stateBackend").isTextual()) {
            assertThat(ComponentSources.jobConfigChoices("PipelineSettings", "\"pipeline.stateBackend\""))
                    .contains(config.at("/pipeline/stateBackend").asText());
        }
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void theSinkRunsOnTheFlinkOperatorWithElasticsearchCredentialsFromEcksSecrets() {
        for (String target : Manifests.TARGETS) {
            List<Resource> resources = Manifests.rendered(target);
            Resource sinks = Manifests.one(resources, "FlinkDeployment", "ringfence-sinks");
            JsonNode spec = sinks.body().path("spec");
            JsonNode container = PodSpecs.container(sinks, "flink-main-container");
            CommandLine command = accepted(target, spec.at("/job/args"), List.of(), ComponentSources.sinkOptions());
            String entryClass = spec.at("/job/entryClass").asText();
            assertThat(Repo.path("sinks/src/main/java/" + entryClass.replace('.', '/') + ".java")).as(entryClass).exists();
            assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
            // durable state is the cluster's: no local work directory
            assertThat(command.options()).doesNotContainKey("--work-dir");
            for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "high-availability.storageDir")) {
                assertThat(spec.path("flinkConfiguration").path(key).asText()).as(target + " " + key).startsWith("s3://");
            }
            String elasticsearch = Manifests.ofKind(resources, "Elasticsearch").getFirst().name();
            assertThat(command.option("--elasticsearch")).isEqualTo("https://" + elasticsearch + "-es-http:9200");
            for (String file : List.of(command.option("--password-file"), command.option("--ca-cert"))) {
                JsonNode volume = PodSpecs.volumeHolding(sinks, container, file);
                assertThat(projectedPaths(volume)).contains(PodSpecs.insideMount(container, file));
            }
        }
    }

    @Test
    void theOptionCheckWouldNoticeAnOptionTheCodeDoesNotKnow() {
        assertThat(ComponentSources.sensorRunOptions()).doesNotContain("--feedback").contains("--kafka");
        assertThat(ComponentSources.feedbackServeOptions()).doesNotContain("--kafka-bootstrap").contains("--certs");
    }

    /** The command's subcommand words are {@code words}, the code knows every option, --kafka is right. */
    private static CommandLine accepted(String target, JsonNode args, List<String> words, java.util.Set<String> known) {
        CommandLine command = CommandLine.of(args);
        assertThat(command.words()).isEqualTo(words);
        assertThat(known).containsAll(command.options().keySet());
        assertKafka(target, command);
        return command;
    }

    /**
     * Every --kafka is the Strimzi bootstrap service of the cluster, on its mTLS listener, with the client settings
     * of --kafka-config (KafkaClientWiringTest checks that file and what it names).
     */
    private static void assertKafka(String target, CommandLine command) {
        Resource kafka = Manifests.ofKind(Manifests.rendered(target), "Kafka").getFirst();
        String port = "";
        for (JsonNode listener : kafka.body().at("/spec/kafka/listeners")) {
            if (listener.path("tls").asBoolean() && listener.at("/authentication/type").asText().equals("tls")) {
                port = listener.path("port").asText();
            }
        }
        assertThat(command.option("--kafka")).isEqualTo(kafka.name() + "-kafka-bootstrap:" + port);
        assertThat(command.option("--kafka-config")).as(target + " --kafka-config").isNotNull();
    }

    private static String port(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asText();
            }
        }
        throw new AssertionError("no port " + name);
    }

    /** The content of {@code file} in the generated ConfigMap mounted at its directory. */
    private static String configMapFile(String target, Resource workload, JsonNode container, String file) {
        JsonNode volume = PodSpecs.volumeHolding(workload, container, file);
        Resource configMap = Manifests.one(Manifests.rendered(target), "ConfigMap", volume.at("/configMap/name").asText());
        JsonNode content = configMap.body().path("data").path(PodSpecs.insideMount(container, file));
        assertThat(content.isTextual()).as(file + " in " + configMap).isTrue();
        return content.asText();
    }

    private static List<String> projectedPaths(JsonNode volume) {
        List<String> paths = new ArrayList<>();
        volume.at("/projected/sources").forEach(source -> source.path("secret").path("items")
                .forEach(item -> paths.add(item.path("path").asText())));
        return paths;
    }

    private static String read(String relative) {
        return Repo.read(relative);
    }
}
