package dev.ringfence.sinks.write;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.ringfence.sinks.ecs.InvalidRecordException;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * One subtask's writer. Runs on the task's mailbox thread only (records, timers and checkpoint flushes),
 * so the batch needs no locking. A batch is sent when full, when the flush interval passes, and before
 * every checkpoint.
 */
final class ElasticsearchSinkWriter implements SinkWriter<KafkaBytes> {
    private final ElasticsearchClient client;
    private final DocumentRouter router;
    private final DeadLetterPublisher deadLetters;
    private final BulkIndexer indexer;
    private final SinkMetrics metrics;
    private final ProcessingTimeService time;
    private final int maxBatchDocuments;
    private final long flushIntervalMillis;

    ElasticsearchSinkWriter(WriterInitContext context, ElasticsearchClient client, DocumentRouter router,
                            DeadLetterPublisher deadLetters, int maxBatchDocuments, long flushIntervalMillis) {
        this.client = client;
        this.router = router;
        this.deadLetters = deadLetters;
        this.metrics = SinkMetrics.registeredIn(context.metricGroup());
        this.indexer = new BulkIndexer(client, metrics);
        this.time = context.getProcessingTimeService();
        this.maxBatchDocuments = maxBatchDocuments;
        this.flushIntervalMillis = flushIntervalMillis;
        scheduleTimedFlush();
    }

    @Override
    public void write(KafkaBytes record, Context context) throws InterruptedException {
        try {
            indexer.add(router.route(record));
        } catch (InvalidRecordException e) {
            deadLetter(List.of(new Rejection(record, e.getMessage())));
        }
        if (indexer.size() >= maxBatchDocuments) {
            sendBatch();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        sendBatch();
        deadLetters.flush();
    }

    @Override
    public void close() throws IOException {
        try (deadLetters) {
            client._transport().close();
        }
    }

    private void sendBatch() throws InterruptedException {
        if (indexer.size() > 0) {
            deadLetter(indexer.flush());
        }
    }

    private void deadLetter(List<Rejection> rejections) {
        for (Rejection rejection : rejections) {
            deadLetters.publish(rejection);
            metrics.deadLettered.inc();
        }
    }

    private void scheduleTimedFlush() {
        time.registerTimer(time.getCurrentProcessingTime() + flushIntervalMillis, timestamp -> {
            sendBatch();
            scheduleTimedFlush();
        });
    }
}
