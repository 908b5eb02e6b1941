package dev.ringfence.sinks.write;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;

/** What the sink counts, exported through Flink's metric group (and so to Prometheus where a reporter is set). */
public final class SinkMetrics {
    final Counter written;
    final Counter deadLettered;
    final Counter duplicates;
    final Counter staleRevisions;
    final Counter bulkRetries;

    private SinkMetrics(Counter written, Counter deadLettered, Counter duplicates, Counter staleRevisions, Counter bulkRetries) {
        this.written = written;
        this.deadLettered = deadLettered;
        this.duplicates = duplicates;
        this.staleRevisions = staleRevisions;
        this.bulkRetries = bulkRetries;
    }

    public static SinkMetrics registeredIn(MetricGroup parent) {
        MetricGroup group = parent.addGroup("ringfence_elasticsearch");
        return new SinkMetrics(group.counter("documents_written"), group.counter("documents_dead_lettered"),
                group.counter("duplicates_skipped"), group.counter("stale_revisions_skipped"), group.counter("bulk_retries"));
    }

    /** Counters that belong to no metric system, for a sink used outside Flink (benchmarks, tests). */
    public static SinkMetrics unregistered() {
        return new SinkMetrics(new SimpleCounter(), new SimpleCounter(), new SimpleCounter(), new SimpleCounter(), new SimpleCounter());
    }

    public long written() {
        return written.getCount();
    }

    public long deadLettered() {
        return deadLettered.getCount();
    }

    public long duplicates() {
        return duplicates.getCount();
    }

    public long staleRevisions() {
        return staleRevisions.getCount();
    }

    public long bulkRetries() {
        return bulkRetries.getCount();
    }
}
