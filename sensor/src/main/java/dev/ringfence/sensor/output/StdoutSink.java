package dev.ringfence.sensor.output;

import dev.ringfence.contract.Event;
import dev.ringfence.sensor.EventSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Prints every event as one line (compact or JSON), for `events --standalone`. Lines are buffered and written
 * when the sensor has nothing more waiting ({@link #flush()}): a write per event was a system call per event.
 */
public final class StdoutSink implements EventSink {
    private static final int BUFFER_CHARS = 64 * 1024;

    private final BufferedWriter out;
    private final Function<Event, String> format;

    public StdoutSink(OutputStream out, Function<Event, String> format) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_CHARS);
        this.format = format;
    }

    @Override
    public void accept(Event event) {
        try {
            out.write(format.apply(event));
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output", e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output", e);
        }
    }

    @Override
    public void close() {
        flush();
    }
}
