package dev.ringfence.embedded.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmIT {

    @Test
    void aChildExitsWhenItsParentIsKilled(@TempDir Path dir) throws Exception {
        ChildJvm parent = ChildJvm.start("orphaned-parent", System.getProperty("java.class.path"),
                OrphanedParent.class.getName(), List.of(), List.of(dir.resolve("child.log").toString()),
                dir.resolve("parent.log"));
        long childPid = awaitChildPid(dir.resolve("parent.log"));
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
        assertThat(child.isAlive()).isTrue();

        ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook runs

        child.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(child.isAlive()).isFalse();
        parent.stop(Duration.ofSeconds(5));
    }

    @Test
    void aChildRunsInItsOwnSessionSoATerminalsInterruptReachesOnlyItsParent(@TempDir Path dir) throws Exception {
        ChildJvm child = ChildJvm.start("watched-child", System.getProperty("java.class.path"),
                WatchedChild.class.getName(), List.of(), List.of(), dir.resolve("child.log"));
        try {
            String ours = sessionOf(ProcessHandle.current().pid());
            // setsid(1) leaves our session a moment after it starts, before it becomes the JVM
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sessionOf(child.pid()).equals(ours) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sessionOf(child.pid())).isNotEqualTo(ours);
        } finally {
            child.stop(Duration.ofSeconds(10));
        }
    }

    private static String sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return afterName[3]; // state, ppid, pgrp, session
    }

    @Test
    void aToolsExitCodeIsReported(@TempDir Path dir) {
        ChildJvm tool = ChildJvm.start("no-such-main", System.getProperty("java.class.path"),
                "dev.ringfence.NoSuchMain", List.of(), List.of(), dir.resolve("tool.log"));
        assertThat(tool.awaitExit(Duration.ofSeconds(30))).isNotZero();
        assertThat(tool.logTail(5)).contains("dev.ringfence.NoSuchMain");
    }

    private static long awaitChildPid(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = Files.exists(log)
                    ? Files.readAllLines(log).stream().filter(l -> l.startsWith("child-pid=")).findFirst()
                    : Optional.empty();
            if (line.isPresent()) {
                return Long.parseLong(line.get().substring("child-pid=".length()));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the parent never reported its child:\n" + Files.readString(log));
    }
}
