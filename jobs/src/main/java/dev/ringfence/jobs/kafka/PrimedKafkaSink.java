package dev.ringfence.jobs.kafka;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaSink} whose writers learn their topic's partitions as they start, not on their first record. A Kafka
 * producer asks the broker for a topic on its first send to it, and that send waits for the answer; on the decisions
 * topic that first send is the first containment after start, and it waited 7-35 ms (allinone/README.md). KafkaSink
 * has no way to ask its writer's producer beforehand (its sink context asks a producer of its own), so the producer is
 * read from the writer's {@value #PRODUCER_FIELD} field; when a connector release renames it, the sink still works,
 * its first record waits as before, and {@code PrimedKafkaSinkIT} fails. Exactly-once writers take a new transactional
 * producer per checkpoint; only the first is primed (at least once, the default, keeps one). Everything else is
 * KafkaSink's own.
 */
final class PrimedKafkaSink<T> implements TwoPhaseCommittingStatefulSink<T, KafkaWriterState, KafkaCommittable>,
        SupportsPostCommitTopology<KafkaCommittable>, LineageVertexProvider {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PrimedKafkaSink.class);
    static final String PRODUCER_FIELD = "currentProducer";

    private final KafkaSink<T> sink;
    private final String topic;

    PrimedKafkaSink(KafkaSink<T> sink, String topic) {
        this.sink = sink;
        this.topic = topic;
    }

    KafkaSink<T> kafkaSink() {
        return sink;
    }

    @Override
    public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> createWriter(WriterInitContext context)
            throws IOException {
        return primed(sink.createWriter(context));
    }

    @Override
    public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> restoreWriter(WriterInitContext context,
            Collection<KafkaWriterState> states) throws IOException {
        return primed(sink.restoreWriter(context, states));
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context) throws IOException {
        return sink.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
        sink.addPostCommitTopology(committables);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return sink.getLineageVertex();
    }

    private <W> W primed(W writer) {
        learnTopic(writer, topic);
        return writer;
    }

    /**
     * Asks the writer's producer for the topic's partitions on a thread of its own (a broker that is away must not hold
     * up the task's start); completes with how many there are, or exceptionally when they could not be learnt.
     */
    static CompletableFuture<Integer> learnTopic(Object writer, String topic) {
        CompletableFuture<Integer> partitions = new CompletableFuture<>();
        Producer<?, ?> producer;
        try {
            producer = producerOf(writer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("event=sink_topic_not_primed topic={} reason=\"no producer field in {}: {}\" effect=\"the first record waits for the topic's metadata\"",
                    topic, writer.getClass().getName(), e.toString());
            partitions.completeExceptionally(e);
            return partitions;
        }
        Thread.ofPlatform().daemon().name("sink-metadata-" + topic).start(() -> {
            try {
                partitions.complete(producer.partitionsFor(topic).size());
            } catch (RuntimeException e) {
                LOG.info("event=sink_topic_not_primed topic={} reason=\"{}\" effect=\"the first record waits for the topic's metadata\"",
                        topic, e.getMessage());
                partitions.completeExceptionally(e);
            }
        });
        return partitions;
    }

    private static Producer<?, ?> producerOf(Object writer) throws ReflectiveOperationException {
        for (Class<?> type = writer.getClass(); type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getName().equals(PRODUCER_FIELD)) {
                    field.setAccessible(true);
                    if (field.get(writer) instanceof Producer<?, ?> producer) {
                        return producer;
                    }
                }
            }
        }
        throw new NoSuchFieldException(PRODUCER_FIELD + " (a Kafka producer) in " + writer.getClass().getName());
    }
}
