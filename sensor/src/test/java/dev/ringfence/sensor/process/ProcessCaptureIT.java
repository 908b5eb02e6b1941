package dev.ringfence.sensor.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.FileAccess;
import dev.ringfence.contract.PrivilegeChange;
import dev.ringfence.contract.PrivilegeChangeKind;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.ProcessFork;
import dev.ringfence.contract.SensorHealth;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.sandbox.CollectingSink;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real processes in a real cgroup, seen by the real BPF programs on this kernel. */
class ProcessCaptureIT {
    private static final String NODE = "it-node";
    private static TestCgroup watched;
    private static TestCgroup unwatched;
    private static Process preexisting;
    private static Path watchedFiles;
    private static Path unwatchedFiles;
    private static CollectingSink sink;
    private static Sensor sensor;
    private static int metricsPort;

    @BeforeAll
    static void start() throws IOException {
        watched = TestCgroup.create("proc");
        unwatched = TestCgroup.create("other");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        watchedFiles = Files.createDirectories(tmp.resolve("secret-" + unique));
        unwatchedFiles = Files.createDirectories(tmp.resolve("plain-" + unique));
        Files.writeString(watchedFiles.resolve("key"), "secret");
        Files.writeString(unwatchedFiles.resolve("notes"), "plain");
        // started before the sensor: the start-up walk must give it (and so its children) lineage
        preexisting = watched.start(List.of("sh", "-c", "read line; /bin/sleep 0.1"));
        sink = new CollectingSink();
        sensor = Sensor.start(SensorConfig.builder()
                .node(NODE)
                .watchCgroups(List.of(watched.directory()))
                .filePrefixes(List.of(watchedFiles.toString()))
                .healthInterval(Duration.ofMillis(500))
                .metricsPort(metricsPort = freePort())
                .runDirectory(tmp.resolve("sensor-" + unique))
                .build(), sink);
    }

    @AfterAll
    static void stop() {
        if (sensor != null) {
            sensor.close();
        }
        if (preexisting != null) {
            preexisting.destroyForcibly();
        }
        if (watched != null) {
            watched.close();
        }
        if (unwatched != null) {
            unwatched.close();
        }
    }

    @Test
    void execEventsCarryTheParentChainShToSleep() throws IOException {
        assertThat(watched.run(List.of("sh", "-c", "/bin/sleep 0.05; exit 0"))).isZero();

        ProcessExec sh = sink.awaitOne(ProcessExec.class, exec -> exec.getArgv().equals(List.of("sh", "-c", "/bin/sleep 0.05; exit 0")));
        ProcessExec sleep = sink.awaitOne(ProcessExec.class, exec -> exec.getArgv().equals(List.of("/bin/sleep", "0.05")));
        assertThat(sh.getBinary()).isEqualTo(Path.of("/bin/sh").toRealPath().toString());
        assertThat(sleep.getBinary()).isEqualTo(Path.of("/bin/sleep").toRealPath().toString());
        assertThat(sleep.getParentExecId()).isEqualTo(sh.getExecId());
        assertThat(sleep.getPpid()).isEqualTo(sh.getPid());
        assertThat(sleep.getExecId()).isEqualTo(NODE + ":" + sleep.getPid() + ":" + sleep.getStartNs());
        assertThat(sleep.getCgroupId()).isEqualTo(watched.id());
        assertThat(sleep.getWorkload().getCgroupPath()).isEqualTo(watched.path());
        assertThat(sleep.getCwd()).isEqualTo(Path.of("").toAbsolutePath().toString());
        assertThat(sleep.getUid()).isZero();
        assertThat(sleep.getExeInode()).isEqualTo(inode("/bin/sleep"));

        ProcessFork fork = sink.awaitOne(ProcessFork.class, f -> f.getPid() == sleep.getPid());
        assertThat(fork.getParentExecId()).isEqualTo(sh.getExecId());
        assertThat(fork.getBinary()).isEqualTo(sh.getBinary());
        ProcessExit exit = sink.awaitOne(ProcessExit.class, e -> e.getExecId().equals(sleep.getExecId()));
        assertThat(exit.getExitCode()).isZero();
        assertThat(exit.getSignal()).isZero();
    }

    /** An exec without a fork: the image it replaces, in the same process, is its parent. */
    @Test
    void aReExecsParentIsTheImageItReplaced() {
        assertThat(watched.run(List.of("sh", "-c", "exec /bin/sleep 0.06"))).isZero();

        ProcessExec sh = sink.awaitOne(ProcessExec.class, exec -> exec.getArgv().equals(List.of("sh", "-c", "exec /bin/sleep 0.06")));
        ProcessExec sleep = sink.awaitOne(ProcessExec.class, exec -> exec.getArgv().equals(List.of("/bin/sleep", "0.06")));
        assertThat(sleep.getPid()).isEqualTo(sh.getPid());
        assertThat(sleep.getParentExecId()).isEqualTo(sh.getExecId());
        assertThat(sleep.getExecId()).isNotEqualTo(sh.getExecId());
        ProcessExit exit = sink.awaitOne(ProcessExit.class, e -> e.getPid() == sleep.getPid());
        assertThat(exit.getExecId()).isEqualTo(sleep.getExecId());
    }

    @Test
    void exitCodesAndSignals() {
        assertThat(watched.run(List.of("sh", "-c", "exit 7"))).isEqualTo(7);
        assertThat(watched.run(List.of("sh", "-c", "kill -KILL $$"))).isEqualTo(137);

        ProcessExec exits = sink.awaitOne(ProcessExec.class, exec -> exec.getArgv().equals(List.of("sh", "-c", "exit 7")));
        ProcessExec killed = sink.awaitOne(ProcessExec.class, exec -> exec.getArgv().equals(List.of("sh", "-c", "kill -KILL $$")));
        ProcessExit exit = sink.awaitOne(ProcessExit.class, e -> e.getExecId().equals(exits.getExecId()));
        ProcessExit kill = sink.awaitOne(ProcessExit.class, e -> e.getExecId().equals(killed.getExecId()));
        assertThat(exit.getExitCode()).isEqualTo(7);
        assertThat(exit.getSignal()).isZero();
        assertThat(kill.getSignal()).isEqualTo(9);
        assertThat(kill.getExitCode()).isZero();
    }

    @Test
    void processesRunningBeforeTheSensorHaveLineage() throws IOException {
        ProcessExec snapshot = sink.awaitOne(ProcessExec.class, exec -> exec.getPid() == preexisting.pid());
        assertThat(snapshot.getFromSnapshot()).isTrue();
        assertThat(snapshot.getArgv()).containsExactly("sh", "-c", "read line; /bin/sleep 0.1");

        try (OutputStream stdin = preexisting.getOutputStream()) {
            stdin.write('\n');
        }
        ProcessExec child = sink.awaitOne(ProcessExec.class, exec -> exec.getArgv().equals(List.of("/bin/sleep", "0.1")));
        assertThat(child.getParentExecId()).isEqualTo(snapshot.getExecId());
        assertThat(child.getFromSnapshot()).isFalse();
    }

    @Test
    void opensUnderAWatchedPrefixAreReportedAndOthersAreNot() {
        Path secret = watchedFiles.resolve("key");
        Path plain = unwatchedFiles.resolve("notes");
        assertThat(watched.run(List.of("cat", plain.toString()))).isZero();
        assertThat(watched.run(List.of("cat", secret.toString()))).isZero();

        FileAccess access = sink.awaitOne(FileAccess.class, file -> file.getPath().equals(secret.toString()));
        assertThat(access.getMatchedPrefix()).isEqualTo(watchedFiles.toString());
        assertThat(access.getOperation().name()).isEqualTo("READ");
        assertThat(access.getBinary()).endsWith("/cat");
        assertThat(sink.payloads(FileAccess.class, file -> file.getPath().equals(plain.toString()))).isEmpty();
    }

    @Test
    void anOpenThroughASymbolicLinkIsReportedByTheFilesOwnPath() throws IOException {
        Path secret = Files.writeString(watchedFiles.resolve("linked-key"), "secret");
        Path directLink = unwatchedFiles.resolve("to-secret-dir");
        Files.createSymbolicLink(directLink, watchedFiles);
        Path fileLink = unwatchedFiles.resolve("to-linked-key");
        Files.createSymbolicLink(fileLink, secret);
        // as written, neither name is under the watched prefix: only the opened file's own path is
        assertThat(watched.run(List.of("sh", "-c", "cd " + unwatchedFiles + " && cat to-secret-dir/linked-key >/dev/null")))
                .isZero();
        assertThat(watched.run(List.of("cat", fileLink.toString()))).isZero();
        // a name that matches as written is reported once, on the way in, not again when it returns
        assertThat(watched.run(List.of("cat", secret.toString()))).isZero();
        Path last = Files.writeString(watchedFiles.resolve("after-linked-key"), "secret");
        assertThat(watched.run(List.of("cat", last.toString()))).isZero();

        sink.awaitOne(FileAccess.class, file -> file.getPath().equals(last.toString()));
        List<FileAccess> opens = sink.payloads(FileAccess.class, file -> file.getPath().equals(secret.toString()));
        assertThat(opens).hasSize(3).allSatisfy(access -> {
            assertThat(access.getMatchedPrefix()).isEqualTo(watchedFiles.toString());
            assertThat(access.getBinary()).endsWith("/cat");
            assertThat(access.getCgroupId()).isEqualTo(watched.id());
        });
        assertThat(sink.payloads(FileAccess.class, file -> file.getPath().startsWith(unwatchedFiles.toString()))).isEmpty();
    }

    @Test
    void anOpenThroughOpenat2IsReportedToo() throws IOException {
        Path secret = Files.writeString(watchedFiles.resolve("openat2-key"), "secret");
        // glibc has no openat2 wrapper: the raw syscall (437 on every architecture), flags in a struct open_how
        String openat2 = "import ctypes, os, sys\n"
                + "class OpenHow(ctypes.Structure):\n"
                + "    _fields_ = [('flags', ctypes.c_uint64), ('mode', ctypes.c_uint64), ('resolve', ctypes.c_uint64)]\n"
                + "how = OpenHow(os.O_RDONLY, 0, 0)\n"
                + "fd = ctypes.CDLL(None, use_errno=True).syscall(437, -100, sys.argv[1].encode(), ctypes.byref(how),"
                + " ctypes.sizeof(how))\n"
                + "sys.exit(0 if fd >= 0 else 1)\n";
        assertThat(watched.run(List.of("python3", "-c", openat2, secret.toString()))).isZero();

        FileAccess access = sink.awaitOne(FileAccess.class, file -> file.getPath().equals(secret.toString()));
        assertThat(access.getMatchedPrefix()).isEqualTo(watchedFiles.toString());
        assertThat(access.getOperation().name()).isEqualTo("READ");
        assertThat(access.getBinary()).contains("python3");
    }

    @Test
    void relativeOpensAreResolvedInTheKernelBeforeMatching() throws IOException {
        for (String name : List.of("cwd-key", "dotdot-key", "dirfd-key", "dot-key")) {
            Files.writeString(watchedFiles.resolve(name), "secret");
        }
        Files.createDirectories(watchedFiles.resolve("sub"));
        Files.writeString(unwatchedFiles.resolve("relative-notes"), "plain");
        String watchedName = watchedFiles.getFileName().toString();
        String unwatchedName = unwatchedFiles.getFileName().toString();
        // unwatched first: had they been reported, they would be in the sink before the watched ones
        assertThat(watched.run(List.of("sh", "-c", "cd " + unwatchedFiles + " && cat relative-notes >/dev/null"))).isZero();
        assertThat(watched.run(List.of("sh", "-c", "cd " + watchedFiles + " && cat ../" + unwatchedName + "/relative-notes >/dev/null"))).isZero();
        // relative to the cwd, with "..", with "." and "sub/..", and relative to a directory fd
        assertThat(watched.run(List.of("sh", "-c", "cd " + watchedFiles + " && cat cwd-key >/dev/null"))).isZero();
        assertThat(watched.run(List.of("sh", "-c", "cd " + unwatchedFiles + " && cat ../" + watchedName + "/dotdot-key >/dev/null"))).isZero();
        assertThat(watched.run(List.of("sh", "-c", "cd " + watchedFiles.getParent() + " && cat ./" + watchedName + "/sub/.././/dot-key >/dev/null"))).isZero();
        assertThat(watched.run(List.of("python3", "-c", "import os, sys; d = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY); "
                + "os.close(os.open('dirfd-key', os.O_RDONLY, dir_fd=d))", unwatchedFiles.toString()))).isNotZero();
        assertThat(watched.run(List.of("python3", "-c", "import os, sys; d = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY); "
                + "os.close(os.open('dirfd-key', os.O_RDONLY, dir_fd=d))", watchedFiles.toString()))).isZero();

        for (String name : List.of("cwd-key", "dotdot-key", "dot-key", "dirfd-key")) {
            String resolved = watchedFiles.resolve(name).toString();
            FileAccess access = sink.awaitOne(FileAccess.class, file -> file.getPath().equals(resolved));
            assertThat(access.getMatchedPrefix()).isEqualTo(watchedFiles.toString());
            assertThat(access.getCgroupId()).isEqualTo(watched.id());
        }
        assertThat(sink.payloads(FileAccess.class, file -> file.getPath().contains("relative-notes"))).isEmpty();
        // the python run against the unwatched directory: resolved there, so not reported (it failed: no such file)
        assertThat(sink.payloads(FileAccess.class, file -> file.getPath().equals(unwatchedFiles.resolve("dirfd-key").toString()))).isEmpty();
        assertThat(sink.payloads(FileAccess.class, file -> file.getPath().contains("/.") || file.getPath().contains("//"))).isEmpty();
    }

    @Test
    void absoluteNamesWithDotDotAreNormalisedBeforeMatching() throws IOException {
        Files.writeString(watchedFiles.resolve("absolute-key"), "secret");
        Files.createDirectories(watchedFiles.resolve("sub"));
        // "../<watched>" out of the unwatched directory: as passed, the name starts with the unwatched prefix
        String detour = unwatchedFiles + "/../" + watchedFiles.getFileName() + "/sub/./..//absolute-key";
        assertThat(watched.run(List.of("cat", detour))).isZero();
        assertThat(watched.run(List.of("cat", "/../" + watchedFiles.resolve("absolute-key")))).isZero();

        String resolved = watchedFiles.resolve("absolute-key").toString();
        List<FileAccess> both = sink.await(FileAccess.class, file -> file.getPath().equals(resolved), 2, Duration.ofSeconds(20));
        assertThat(both).extracting(FileAccess::getMatchedPrefix).containsOnly(watchedFiles.toString());
        assertThat(sink.payloads(FileAccess.class, file -> file.getPath().contains("/.") || file.getPath().contains("//"))).isEmpty();
    }

    @Test
    void relativeOpensAcrossAMountPointAreResolved() throws IOException {
        Path mountPoint = Files.createDirectories(watchedFiles.resolve("mnt"));
        // a fresh tmpfs on the watched directory: the walk must cross it to reach the prefix
        assertThat(watched.run(List.of("sh", "-c", "mount -t tmpfs rf-it " + mountPoint + " && cd " + mountPoint
                + " && echo secret > on-tmpfs && cat on-tmpfs >/dev/null; status=$?; cd /; umount " + mountPoint + "; exit $status"))).isZero();

        FileAccess access = sink.awaitOne(FileAccess.class, file -> file.getPath().equals(mountPoint.resolve("on-tmpfs").toString())
                && file.getOperation().name().equals("READ"));
        assertThat(access.getMatchedPrefix()).isEqualTo(watchedFiles.toString());
    }

    @Test
    void relativeOpensInAChrootAreResolvedAsTheProcessSeesThem() throws IOException {
        // the jail holds the watched path under its own root; outside the jail the file is <jail><watched>/jailed-key,
        // which no prefix matches: only a walk that stops at the task's root reports it under the prefix
        Path jail = Files.createDirectories(watchedFiles.getParent().resolve("jail-" + watchedFiles.getFileName()));
        Path inside = Files.createDirectories(Path.of(jail + watchedFiles.toString()));
        Files.writeString(inside.resolve("jailed-key"), "secret");
        assertThat(watched.run(List.of("python3", "-c", "import os, sys; os.chroot(sys.argv[1]); os.chdir(sys.argv[2]); "
                + "os.close(os.open('../" + watchedFiles.getFileName() + "/jailed-key', os.O_RDONLY))",
                jail.toString(), watchedFiles.toString()))).isZero();

        FileAccess access = sink.awaitOne(FileAccess.class, file -> file.getPath().endsWith("/jailed-key"));
        assertThat(access.getPath()).isEqualTo(watchedFiles.resolve("jailed-key").toString());
        assertThat(access.getMatchedPrefix()).isEqualTo(watchedFiles.toString());
    }

    @Test
    void anUnwatchedCgroupProducesNoEvents() {
        assertThat(unwatched.run(List.of("sh", "-c", "/bin/true; exit 5"))).isEqualTo(5);
        assertThat(watched.run(List.of("sh", "-c", "exit 6"))).isEqualTo(6);

        ProcessExec marker = sink.awaitOne(ProcessExec.class, exec -> exec.getArgv().equals(List.of("sh", "-c", "exit 6")));
        sink.awaitOne(ProcessExit.class, exit -> exit.getExecId().equals(marker.getExecId()));
        long other = unwatched.id();
        assertThat(sink.events()).extracting(Event::getPayload)
                .filteredOn(payload -> payload instanceof ProcessExec exec && exec.getCgroupId() == other
                        || payload instanceof ProcessExit exit && exit.getCgroupId() == other
                        || payload instanceof ProcessFork fork && fork.getCgroupId() == other)
                .isEmpty();
    }

    @Test
    void privilegeChangesAreReportedWithTheirArgumentsAndResult() {
        assertThat(watched.run(List.of("python3", "-c", "import os; os.setresuid(65534, 65534, 65534)"))).isZero();

        PrivilegeChange change = sink.awaitOne(PrivilegeChange.class, c -> c.getKind() == PrivilegeChangeKind.SETRESUID
                && c.getArguments().equals(List.of(65534L, 65534L, 65534L)));
        assertThat(change.getResult()).isZero();
        assertThat(change.getBefore().getUid()).isZero();
        assertThat(change.getCgroupId()).isEqualTo(watched.id());
    }

    @Test
    void aModerateExecStormLosesNothing() {
        int execs = 1000;
        assertThat(watched.run(List.of("sh", "-c", "i=0; while [ $i -lt " + execs + " ]; do /bin/true storm; i=$((i+1)); done"))).isZero();

        sink.await(ProcessExec.class, exec -> exec.getArgv().equals(List.of("/bin/true", "storm")), execs, Duration.ofSeconds(60));
        sink.await(SensorHealth.class, health -> health.getEventsByType().getOrDefault("ProcessExec", 0L) >= execs, 1, Duration.ofSeconds(20));
        SensorHealth health = sensor.health();
        assertThat(health.getKernelLostByType().values()).allMatch(lost -> lost == 0);
        assertThat(health.getUserLost()).isZero();
        assertThat(health.getThrottledEvents()).isZero();
        assertThat(sink.payloads(ProcessExec.class, exec -> exec.getArgv().equals(List.of("/bin/true", "storm")))).hasSize(execs);
    }

    @Test
    void prometheusMetricsExposeTheHealthCounters() throws Exception {
        assertThat(watched.run(List.of("sh", "-c", "exit 0"))).isZero();
        sink.awaitOne(ProcessExit.class, exit -> exit.getCgroupId() == watched.id());

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .containsPattern("ringfence_sensor_events_total\\{type=\"ProcessExit\"} [1-9]")
                .contains("ringfence_sensor_kernel_lost_total{type=\"ProcessExec\"} 0")
                .contains("ringfence_sensor_user_lost_total 0")
                .contains("ringfence_sensor_ringbuf_fill_ratio");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long inode(String path) {
        try {
            return (Long) Files.getAttribute(Path.of(path), "unix:ino");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
