package dev.ringfence.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.jobs.config.KafkaSettings;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The job's sinks know their topic's partitions from the start, on the real broker and the pinned connector. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrimedKafkaSinkIT {
    private EmbeddedKafka kafka;

    @BeforeAll
    void startBroker(@TempDir Path dir) {
        kafka = EmbeddedKafka.launch(dir.resolve("kafka"));
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aNewWritersProducerLearnsItsTopicBeforeItsFirstRecord() throws Exception {
        for (String delivery : new String[] {"at-least-once", "exactly-once"}) {
            KafkaSettings settings = new KafkaSettings();
            settings.bootstrapServers = kafka.bootstrapServers();
            settings.delivery = delivery;
            PrimedKafkaSink<Decision> sink = (PrimedKafkaSink<Decision>) KafkaIo.sink(settings, Topic.DECISIONS, Decision.class);
            try (SinkWriter<Decision> writer = sink.kafkaSink().createWriter(writerContext())) {
                int partitions = PrimedKafkaSink.learnTopic(writer, Topic.DECISIONS.topicName()).get(60, TimeUnit.SECONDS);
                assertThat(partitions).as(delivery).isEqualTo(partitionsOf(Topic.DECISIONS.topicName()));
            }
        }
    }

    @Test
    void aWriterWithoutTheProducerFieldIsReportedNotPrimed() {
        assertThatThrownBy(() -> PrimedKafkaSink.learnTopic(new Object(), Topic.DECISIONS.topicName()).get())
                .isInstanceOf(ExecutionException.class).hasMessageContaining(PrimedKafkaSink.PRODUCER_FIELD);
    }

    private int partitionsOf(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    /** What a sink writer is given by a running task, as far as KafkaWriter uses it outside a job. */
    private static WriterInitContext writerContext() {
        return (WriterInitContext) Proxy.newProxyInstance(PrimedKafkaSinkIT.class.getClassLoader(),
                new Class<?>[] {WriterInitContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getTaskInfo" -> new TaskInfoImpl("decisions-sink", 1, 0, 1, 0);
                    case "metricGroup" -> UnregisteredMetricsGroup.createSinkWriterMetricGroup();
                    case "metadataConsumer" -> Optional.empty();
                    case "getRestoredCheckpointId" -> OptionalLong.empty();
                    case "getMailboxExecutor" -> inert(MailboxExecutor.class);
                    case "getProcessingTimeService" -> inert(ProcessingTimeService.class);
                    case "asSerializationSchemaInitializationContext" -> inert(SerializationSchema.InitializationContext.class);
                    default -> throw new UnsupportedOperationException("the test context has no " + method.getName());
                });
    }

    private static <T> T inert(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(PrimedKafkaSinkIT.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getReturnType() == long.class ? 0L : null));
    }
}
