package dev.ringfence.sinks.write;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import dev.ringfence.sinks.template.IndexTemplates;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends documents in bulk requests, one batch in flight at a time (the caller blocks, so Kafka reading
 * slows down instead of memory growing). Refusals that pass (429, 5xx, a node that is down or not yet
 * authorizing us) are retried with capped exponential backoff for as long as it takes; documents the
 * mappings reject come back as {@link Rejection}s. A conflict is a replay: already written, or older
 * than the revision stored, so it is counted and dropped.
 */
public final class BulkIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(BulkIndexer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final ElasticsearchClient client;
    private final SinkMetrics metrics;
    private final List<PendingDocument> batch = new ArrayList<>();
    private boolean templatesInstalled;

    public BulkIndexer(ElasticsearchClient client, SinkMetrics metrics) {
        this.client = client;
        this.metrics = metrics;
    }

    public void add(PendingDocument document) {
        batch.add(document);
    }

    public int size() {
        return batch.size();
    }

    /** Writes the batch; returns once every document is written, replayed, or rejected (and then returned). */
    public List<Rejection> flush() throws InterruptedException {
        List<PendingDocument> pending = new ArrayList<>(batch);
        batch.clear();
        List<Rejection> rejected = new ArrayList<>();
        int attempt = 0;
        while (!pending.isEmpty()) {
            String retryReason;
            try {
                installTemplatesOnce();
                BulkResponse response = client.bulk(request(pending));
                pending = sortOut(pending, response.items(), rejected);
                retryReason = pending.size() + " documents refused for now";
            } catch (ElasticsearchException e) {
                if (!isTransient(e.status())) {
                    String reason = "Elasticsearch refused the bulk request: " + e.getMessage();
                    pending.forEach(document -> rejected.add(new Rejection(document.origin(), reason)));
                    pending = List.of();
                }
                retryReason = "HTTP " + e.status() + ": " + e.getMessage();
            } catch (IOException | RuntimeException e) {
                retryReason = e.toString();
            }
            if (!pending.isEmpty()) {
                backOff(attempt++, retryReason);
            } else if (attempt > 0) {
                LOG.info("Elasticsearch accepts writes again after {} retries", attempt);
            }
        }
        return rejected;
    }

    private void installTemplatesOnce() {
        if (!templatesInstalled) {
            IndexTemplates.install(client);
            templatesInstalled = true;
        }
    }

    /** Counts what was done and returns what must be sent again. */
    private List<PendingDocument> sortOut(List<PendingDocument> sent, List<BulkResponseItem> items, List<Rejection> rejected) {
        List<PendingDocument> retry = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            PendingDocument document = sent.get(i);
            BulkResponseItem item = items.get(i);
            int status = item.status();
            if (status >= 200 && status < 300) {
                metrics.written.inc();
            } else if (status == 409) {
                (document.isVersioned() ? metrics.staleRevisions : metrics.duplicates).inc();
            } else if (isTransient(status)) {
                retry.add(document);
            } else {
                rejected.add(new Rejection(document.origin(), reason(document, item)));
            }
        }
        return retry;
    }

    /** Worth waiting for: overload, server trouble, or credentials an operator is fixing. Never a document's fault. */
    private static boolean isTransient(int status) {
        return status == 429 || status >= 500 || status == 401 || status == 403;
    }

    private static String reason(PendingDocument document, BulkResponseItem item) {
        ErrorCause error = item.error();
        String cause = error == null ? "HTTP " + item.status()
                : error.type() + ": " + error.reason() + (error.causedBy() == null ? "" : " (" + error.causedBy().reason() + ")");
        return "Elasticsearch rejected " + document.index() + "/" + document.id() + ": " + cause;
    }

    private static BulkRequest request(List<PendingDocument> documents) {
        List<BulkOperation> operations = new ArrayList<>(documents.size());
        for (PendingDocument document : documents) {
            operations.add(document.isVersioned()
                    ? BulkOperation.of(op -> op.index(index -> index.index(document.index()).id(document.id())
                            .version(document.externalVersion()).versionType(VersionType.ExternalGte)
                            .document(document.source())))
                    : BulkOperation.of(op -> op.create(create -> create.index(document.index()).id(document.id())
                            .document(document.source()))));
        }
        return BulkRequest.of(bulk -> bulk.operations(operations));
    }

    private void backOff(int attempt, String reason) throws InterruptedException {
        metrics.bulkRetries.inc();
        if (attempt == 0 || attempt % 20 == 0) {
            LOG.warn("Elasticsearch write not accepted, waiting and retrying (attempt {}): {}", attempt + 1, reason);
        }
        long millis = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt, 16));
        Thread.sleep(millis);
    }
}
