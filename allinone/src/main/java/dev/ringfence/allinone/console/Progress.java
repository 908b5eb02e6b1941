package dev.ringfence.allinone.console;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Start-up progress for people (aligned lines) or machines (one JSON object per line). */
public final class Progress {
    private final PrintStream out;
    private final boolean json;

    public Progress(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    public void ready(String stage, String detail, Duration took) {
        line(stage, "ready", detail, took);
    }

    /** A stage this version does not have: said plainly, never simulated. */
    public void absent(String stage, String detail) {
        line(stage, "not-built", detail, null);
    }

    /** A stage left out on purpose (an option turns it on). */
    public void off(String stage, String detail) {
        line(stage, "off", detail, null);
    }

    public void failed(String stage, String detail) {
        line(stage, "failed", detail, null);
    }

    public void stopped(String stage) {
        line(stage, "stopped", "", null);
    }

    public void message(String text) {
        if (json) {
            out.println(JsonLines.of(Map.of("message", text)));
        } else {
            out.println(text);
        }
        out.flush();
    }

    private void line(String stage, String state, String detail, Duration took) {
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("stage", stage);
            fields.put("state", state);
            fields.put("detail", detail);
            if (took != null) {
                fields.put("took_ms", took.toMillis());
            }
            out.println(JsonLines.of(fields));
        } else {
            String time = took == null ? "" : String.format(" (%.1f s)", took.toMillis() / 1000.0);
            out.printf("  %-22s %-10s %s%s%n", stage, state, detail, time);
        }
        out.flush();
    }
}
