package dev.ringfence.sensor.sandbox;

import dev.ringfence.contract.Event;
import dev.ringfence.sensor.EventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;

/** Keeps every event; tests wait for the payloads they expect. */
public final class CollectingSink implements EventSink {
    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void accept(Event event) {
        events.add(event);
        notifyAll();
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    public synchronized <T extends SpecificRecord> List<T> payloads(Class<T> type, Predicate<T> matching) {
        return events.stream().map(Event::getPayload).filter(type::isInstance).map(type::cast).filter(matching).toList();
    }

    /** Waits until count payloads of the type match; returns them, or fails saying what was seen. */
    public synchronized <T extends SpecificRecord> List<T> await(Class<T> type, Predicate<T> matching, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> found = payloads(type, matching);
        while (found.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + timeout + " for " + count + " " + type.getSimpleName() + " events, got "
                        + found.size() + ": " + found + "; last events: " + tail(10));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            found = payloads(type, matching);
        }
        return found;
    }

    public <T extends SpecificRecord> T awaitOne(Class<T> type, Predicate<T> matching) {
        return await(type, matching, 1, Duration.ofSeconds(20)).getFirst();
    }

    private List<String> tail(int count) {
        List<String> tail = new ArrayList<>();
        for (int i = Math.max(0, events.size() - count); i < events.size(); i++) {
            tail.add(events.get(i).getPayload().getClass().getSimpleName());
        }
        return tail;
    }
}
