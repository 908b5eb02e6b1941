package dev.ringfence.sensor.output;

import dev.ringfence.contract.Event;
import dev.ringfence.sensor.EventSink;
import java.io.PrintStream;
import java.util.function.Function;

/** Prints every event as one line (compact or JSON), for `events --standalone`. */
public final class StdoutSink implements EventSink {
    private final PrintStream out;
    private final Function<Event, String> format;

    public StdoutSink(PrintStream out, Function<Event, String> format) {
        this.out = out;
        this.format = format;
    }

    @Override
    public void accept(Event event) {
        out.println(format.apply(event));
    }

    @Override
    public void close() {
        out.flush();
    }
}
