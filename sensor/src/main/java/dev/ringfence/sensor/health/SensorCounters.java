package dev.ringfence.sensor.health;

import dev.ringfence.contract.SensorHealth;
import dev.ringfence.sensor.capture.EventKind;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the sensor counts about itself; the source of both SensorHealth and the Prometheus metrics. */
public final class SensorCounters {
    public static final String VERSION = "0.1.0";

    private final Map<String, LongAdder> emitted = new ConcurrentHashMap<>();
    private final LongAdder userLost = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder sinkFailures = new LongAdder();

    public void emitted(String recordName) {
        emitted.computeIfAbsent(recordName, name -> new LongAdder()).increment();
    }

    public void userLost() {
        userLost.increment();
    }

    public void malformed() {
        malformed.increment();
    }

    public void sinkFailure() {
        sinkFailures.increment();
    }

    public Map<String, Long> emittedByType() {
        Map<String, Long> counts = new TreeMap<>();
        emitted.forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
    }

    public long userLostCount() {
        return userLost.sum();
    }

    public long malformedCount() {
        return malformed.sum();
    }

    public long sinkFailureCount() {
        return sinkFailures.sum();
    }

    public SensorHealth health(String node, long uptimeSeconds, Map<EventKind, Long> kernelLost, Map<EventKind, Long> throttled,
                               long spoolDropped, long spoolPending, double ringbufFill, long processes, long flows) {
        Map<String, Long> lostByType = new TreeMap<>();
        kernelLost.forEach((kind, count) -> lostByType.put(kind.recordName(), count));
        return SensorHealth.newBuilder()
                .setNode(node)
                .setSensorVersion(VERSION)
                .setUptimeS(uptimeSeconds)
                .setEventsByType(emittedByType())
                .setKernelLostByType(lostByType)
                .setThrottledEvents(throttled.values().stream().mapToLong(Long::longValue).sum())
                .setUserLost(userLostCount())
                .setSpoolDropped(spoolDropped)
                .setSpoolPending(spoolPending)
                .setRingbufFill(ringbufFill)
                .setDecisionsByOutcome(Map.of())
                .setProcessesTracked(processes)
                .setFlowsTracked(flows)
                .build();
    }
}
