package dev.ringfence.sensor.output;

import dev.ringfence.contract.Event;
import dev.ringfence.sensor.EventSink;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Prints every event as one line (compact or JSON), for `events --standalone`. Lines are buffered and written
 * when the sensor has nothing more waiting ({@link #flush()}): a write per event was a system call per event.
 * Synchronized: the sensor's worker writes, and a stop that outlasts its wait for the worker closes.
 */
public final class StdoutSink implements EventSink {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** Writes one event's line into the sink's buffer. */
    private interface Lines {
        void write(Event event) throws IOException;
    }

    private final Lines lines;
    private final Flushable buffer;

    private StdoutSink(Lines lines, Flushable buffer) {
        this.lines = lines;
        this.buffer = buffer;
    }

    public static StdoutSink compact(OutputStream out) {
        BufferedWriter text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_BYTES);
        return new StdoutSink(event -> {
            text.write(CompactLines.format(event));
            text.newLine();
        }, text);
    }

    public static StdoutSink json(OutputStream out) {
        JsonLines.Stream json = JsonLines.stream(new BufferedOutputStream(out, BUFFER_BYTES));
        return new StdoutSink(json::write, json);
    }

    @Override
    public synchronized void accept(Event event) {
        try {
            lines.write(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output", e);
        }
    }

    @Override
    public synchronized void flush() {
        try {
            buffer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output", e);
        }
    }

    @Override
    public void close() {
        flush();
    }
}
