package dev.ringfence.feedback.metrics;

import dev.ringfence.contract.DecisionAction;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The service's Prometheus metrics, in a registry of its own so several services can run in one JVM. */
public final class FeedbackMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter decisions = Counter.builder()
            .name("ringfence_feedback_decisions_total")
            .help("Decisions by action and what became of them (accepted, duplicate, refused_*, delivered, ack_*, expired, released)")
            .labelNames("action", "outcome")
            .register(registry);
    private final Histogram deliveryLatency = Histogram.builder()
            .name("ringfence_feedback_delivery_latency_seconds")
            .help("From the service receiving a decision to the sensor's ack")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
            .register(registry);
    private final Histogram loopWait = loopTaskHistogram("ringfence_feedback_loop_wait_seconds",
            "How long a task (a decision's intake, an ack, a sensor joining...) waited for the decision loop");
    private final Histogram loopRun = loopTaskHistogram("ringfence_feedback_loop_run_seconds",
            "How long a task ran on the decision loop, holding up the tasks behind it");
    private final Histogram decisionAge = Histogram.builder()
            .name("ringfence_feedback_decision_age_seconds")
            .help("From a decision's issued_ns to the service reading it, by source (the issuer's clock against this host's)")
            .labelNames("source")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    private final Counter undecodable = Counter.builder()
            .name("ringfence_feedback_undecodable_total")
            .help("Inputs that were not contract records, by source; sent to the dead-letter topic")
            .labelNames("source")
            .register(registry);
    private final Gauge connectedSensors = Gauge.builder()
            .name("ringfence_feedback_connected_sensors")
            .help("Sensors holding a link stream now")
            .register(registry);
    private final Gauge awaitingAck = Gauge.builder()
            .name("ringfence_feedback_awaiting_ack")
            .help("Decisions delivered or waiting for an offline node, not yet acked")
            .register(registry);

    public void decision(DecisionAction action, String outcome) {
        decisions.labelValues(action.name(), outcome).inc();
    }

    public double decisionCount(DecisionAction action, String outcome) {
        return decisions.labelValues(action.name(), outcome).get();
    }

    public void delivered(long latencyNanos) {
        deliveryLatency.observe(latencyNanos / 1e9);
    }

    public void loopTask(String task, long waitedNanos, long ranNanos) {
        loopWait.labelValues(task).observe(waitedNanos / 1e9);
        loopRun.labelValues(task).observe(ranNanos / 1e9);
    }

    /**
     * Tasks of this name whose wait for the loop fell in buckets wholly at or above {@code bound}, one of the bucket
     * bounds (0 counts every task of the name).
     */
    public long loopWaitsAtLeast(String task, double bound) {
        return observationsAtLeast(loopWait, "task", task, bound);
    }

    /** Decisions from this source whose age fell in buckets wholly at or above {@code bound}, one of the bucket bounds. */
    public long decisionsAgedAtLeast(String source, double bound) {
        return observationsAtLeast(decisionAge, "source", source, bound);
    }

    public void decisionAge(String source, long ageNanos) {
        decisionAge.labelValues(source).observe(Math.max(0, ageNanos) / 1e9);
    }

    public void undecodable(String source) {
        undecodable.labelValues(source).inc();
    }

    public void connectedSensors(int count) {
        connectedSensors.set(count);
    }

    public void awaitingAck(int count) {
        awaitingAck.set(count);
    }

    /** Per task name, from 0.1 ms (a quick ack) to seconds (a loop stalled behind something). */
    private Histogram loopTaskHistogram(String name, String help) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .labelNames("task")
                .classicUpperBounds(0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5)
                .register(registry);
    }

    private static long observationsAtLeast(Histogram histogram, String label, String value, double bound) {
        long count = 0;
        for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.collect().getDataPoints()) {
            if (value.equals(point.getLabels().get(label))) {
                ClassicHistogramBuckets buckets = point.getClassicBuckets();
                for (int i = 0; i < buckets.size(); i++) {
                    double lower = i == 0 ? 0 : buckets.getUpperBound(i - 1);
                    count += lower >= bound ? buckets.getCount(i) : 0;
                }
            }
        }
        return count;
    }

    /** Serves /metrics on {@code port} (0: any free port); the caller closes the server. */
    public HTTPServer serve(int port) {
        try {
            return HTTPServer.builder().port(port).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + port, e);
        }
    }
}
