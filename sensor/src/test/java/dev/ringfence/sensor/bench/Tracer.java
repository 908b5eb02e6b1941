package dev.ringfence.sensor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A tracer process (the sensor, or a peer tool) started before a workload and stopped after it. */
final class Tracer implements AutoCloseable {
    private final Process process;

    private Tracer(Process process) {
        this.process = process;
    }

    /** Starts the command, stdout to out and stderr to err, and waits until the ready test passes on them. */
    static Tracer start(List<String> command, Path out, Path err, Predicate<String> ready) {
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!ready.test(Files.readString(out) + Files.readString(err))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command.getFirst() + " did not get ready: " + Files.readString(err));
                }
                Thread.sleep(50);
            }
            return new Tracer(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> lineBuffered(String... command) {
        List<String> full = new ArrayList<>(List.of("stdbuf", "-oL"));
        full.addAll(List.of(command));
        return full;
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size, from /proc/<pid>/status. */
    double rssMegabytes() {
        return statusKilobytes("VmRSS:") / 1024.0;
    }

    /** User + system CPU seconds the tracer has used so far, from /proc/<pid>/stat. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long statusKilobytes(String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(30), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
