package dev.ringfence.allinone.console;

import java.io.PrintStream;
import java.time.Duration;

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

    public void absent(String stage, String detail) {
        line(stage, "not-built", detail, null);
    }

    public void failed(String stage, String detail) {
        line(stage, "failed", detail, null);
    }

    public void stopped(String stage) {
        line(stage, "stopped", "", null);
    }

    public void message(String text) {
        if (json) {
            out.println("{\"message\":" + quote(text) + "}");
        } else {
            out.println(text);
        }
        out.flush();
    }

    private void line(String stage, String state, String detail, Duration took) {
        if (json) {
            out.println("{\"stage\":" + quote(stage) + ",\"state\":" + quote(state) + ",\"detail\":" + quote(detail)
                    + (took == null ? "" : ",\"took_ms\":" + took.toMillis()) + "}");
        } else {
            String time = took == null ? "" : String.format(" (%.1f s)", took.toMillis() / 1000.0);
            out.printf("  %-22s %-10s %s%s%n", stage, state, detail, time);
        }
        out.flush();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
