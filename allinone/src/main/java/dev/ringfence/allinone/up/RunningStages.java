package dev.ringfence.allinone.up;

import dev.ringfence.allinone.console.Progress;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What is running, newest last, so that Ctrl-C (from a shutdown hook, possibly in the middle of start-up) stops
 * everything in reverse order exactly once.
 */
final class RunningStages {
    private record Stage(String name, AutoCloseable handle) {}

    private final Progress progress;
    private final Deque<Stage> running = new ArrayDeque<>();
    private boolean stopping;

    RunningStages(Progress progress) {
        this.progress = progress;
    }

    /** Records a started stage; one that finishes starting after Ctrl-C is stopped at once. */
    void add(String name, AutoCloseable handle) {
        synchronized (this) {
            if (!stopping) {
                running.push(new Stage(name, handle));
                return;
            }
        }
        stop(new Stage(name, handle));
    }

    synchronized boolean stopping() {
        return stopping;
    }

    void stopAll() {
        while (true) {
            Stage stage;
            synchronized (this) {
                stopping = true;
                stage = running.poll();
            }
            if (stage == null) {
                return;
            }
            stop(stage);
        }
    }

    private void stop(Stage stage) {
        try {
            stage.handle().close();
            progress.stopped(stage.name());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            progress.failed(stage.name(), "did not stop cleanly: " + e);
        }
    }
}
