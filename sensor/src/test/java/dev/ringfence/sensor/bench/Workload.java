package dev.ringfence.sensor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A whole-process workload timed by bash's `time`: wall seconds and the workload's own CPU (user + sys). */
record Workload(String name, List<String> command) {
    record Timing(double wallSeconds, double cpuSeconds) {}

    static Workload execStorm(int execs) {
        return new Workload("exec storm", List.of("sh", "-c",
                "i=0; while [ $i -lt " + execs + " ]; do /bin/true; i=$((i+1)); done"));
    }

    static Workload tcpStorm(Path scripts, int connections, int port) {
        return new Workload("tcp storm", List.of("python3", scripts.resolve("tcp_storm.py").toString(), "" + connections, "" + port));
    }

    static Workload bulkTransfer(Path scripts, int megabytes, int port) {
        return new Workload("bulk transfer", List.of("python3", scripts.resolve("bulk_transfer.py").toString(), "" + megabytes, "" + port));
    }

    /** Copies the bench's scripts out of the jar. */
    static Path extractScripts(Path directory) {
        try {
            Files.createDirectories(directory);
            for (String script : List.of("tcp_storm.py", "bulk_transfer.py")) {
                try (InputStream in = Workload.class.getResourceAsStream("/bench/" + script)) {
                    Files.copy(in, directory.resolve(script), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract bench scripts to " + directory, e);
        }
    }

    Timing run() {
        String quoted = String.join(" ", CpuSplit.workload(command).stream().map(arg -> "'" + arg.replace("'", "'\\''") + "'").toList());
        try {
            Process process = new ProcessBuilder("bash", "-c", "TIMEFORMAT='%R %U %S'; time " + quoted + " >/dev/null")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(name + " failed: " + output);
            }
            String[] times = output.lines().reduce((first, last) -> last).orElseThrow().split(" ");
            return new Timing(Double.parseDouble(times[0]), Double.parseDouble(times[1]) + Double.parseDouble(times[2]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
