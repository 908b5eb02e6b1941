package dev.ringfence.embedded.jvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own, so its dependencies never meet ours. The child's standard input is a
 * pipe we hold: the child's main runs {@link ParentWatch} and exits when the pipe closes, so a parent
 * that dies, even by SIGKILL, leaves no server behind.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code mainClass} with the same java binary as this JVM; output goes to {@code logFile}. */
    public static ChildJvm start(String name, String classpath, String mainClass, List<String> jvmArgs,
                                 List<String> args, Path logFile) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // a session of its own: a terminal's Ctrl-C reaches only the parent, which then stops
            // its servers in order (Kafka last), instead of every JVM at once
            command.add(SETSID.toString());
        }
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return new ChildJvm(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + mainClass + ")", e);
        }
    }

    /** The class path written into a resource by a *-runtime module, plus the code location of {@code anchor}. */
    public static String runtimeClasspath(String resource, Class<?> anchor) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + resource
                        + ": the runtime module was not built (run ./ringfence build)");
            }
            String recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return codeLocation(anchor) + java.io.File.pathSeparator + recorded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    public static String codeLocation(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the code of " + type.getName(), e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** Waits for a short-lived child (a tool) to finish; returns its exit code, or kills it after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + timeout + ":\n" + logTail(20));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        closeQuietly();
        return process.exitValue();
    }

    /** SIGTERM (the server's own orderly shutdown), then SIGKILL after {@code grace}. Returns the exit code. */
    public int stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly();
        return process.exitValue();
    }

    /** The last lines of the child's log, for error messages that say what went wrong. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private void closeQuietly() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child is gone; nothing to release
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
