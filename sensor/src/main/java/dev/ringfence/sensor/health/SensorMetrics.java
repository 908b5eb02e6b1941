package dev.ringfence.sensor.health;

import dev.ringfence.contract.SensorHealth;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** Prometheus endpoint (/metrics) exposing the same numbers as SensorHealth, read at scrape time. */
public final class SensorMetrics implements AutoCloseable {
    private final HTTPServer server;

    private SensorMetrics(HTTPServer server) {
        this.server = server;
    }

    public static SensorMetrics serve(int port, Supplier<SensorHealth> health, SensorCounters counters) {
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry, health, counters);
        try {
            return new SensorMetrics(HTTPServer.builder().port(port).registry(registry).buildAndStart());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + port, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    static void register(PrometheusRegistry registry, Supplier<SensorHealth> health, SensorCounters counters) {
        CounterWithCallback.builder().name("ringfence_sensor_events").help("Events emitted, by record type")
                .labelNames("type")
                .callback(callback -> counters.emittedByType().forEach((type, count) -> callback.call(count, type)))
                .register(registry);
        CounterWithCallback.builder().name("ringfence_sensor_kernel_lost").help("Failed ring-buffer reservations, by record type")
                .labelNames("type")
                .callback(callback -> health.get().getKernelLostByType().forEach((type, count) -> callback.call(count, type)))
                .register(registry);
        CounterWithCallback.builder().name("ringfence_sensor_throttled").help("Events the per-cgroup token bucket held back")
                .callback(callback -> callback.call(health.get().getThrottledEvents()))
                .register(registry);
        CounterWithCallback.builder().name("ringfence_sensor_user_lost").help("Events dropped by the full user-space queue")
                .callback(callback -> callback.call(counters.userLostCount()))
                .register(registry);
        CounterWithCallback.builder().name("ringfence_sensor_malformed_records").help("Kernel records that could not be decoded")
                .callback(callback -> callback.call(counters.malformedCount()))
                .register(registry);
        CounterWithCallback.builder().name("ringfence_sensor_spool_dropped").help("Records dropped from the full spool, oldest first")
                .callback(callback -> callback.call(health.get().getSpoolDropped()))
                .register(registry);
        GaugeWithCallback.builder().name("ringfence_sensor_spool_pending").help("Records waiting in the spool")
                .callback(callback -> callback.call(health.get().getSpoolPending()))
                .register(registry);
        GaugeWithCallback.builder().name("ringfence_sensor_ringbuf_fill_ratio").help("Ring buffer fill, 0..1")
                .callback(callback -> callback.call(health.get().getRingbufFill()))
                .register(registry);
        GaugeWithCallback.builder().name("ringfence_sensor_processes_tracked").help("Processes in the user-space table")
                .callback(callback -> callback.call(health.get().getProcessesTracked()))
                .register(registry);
        GaugeWithCallback.builder().name("ringfence_sensor_flows_tracked").help("Live flows in the kernel flow table")
                .callback(callback -> callback.call(health.get().getFlowsTracked()))
                .register(registry);
    }

    @Override
    public void close() {
        server.close();
    }
}
