package dev.ringfence.sensor.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.EnforcementEventKind;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.feedback.rails.ProtectedSet;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.sandbox.CollectingSink;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decisions applied to real processes and real cgroups: kills by exec id, blocks, release, TTL, rails, bad input. */
class DecisionApplierIT {
    private static final String NODE = "enforce-node";

    @TempDir
    static Path dir;
    private static TestCgroup workload;
    private static CollectingSink sink;
    private static Sensor sensor;
    private static Enforcer enforcer;
    private static DecisionApplier applier;
    private static Loopback loopback;
    private static final ConcurrentLinkedQueue<EnforcementAction> EVENTS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws IOException {
        workload = TestCgroup.create("decisions");
        sink = new CollectingSink();
        sensor = Sensor.start(SensorConfig.builder().node(NODE).watchCgroups(List.of(workload.directory()))
                .runDirectory(dir.resolve("sensor")).build(), sink);
        enforcer = Enforcer.start(dir.resolve("enforcer"), null, hit -> applier.onHit(hit));
        applier = new DecisionApplier(NODE, enforcer, ProtectedSet.defaults(), sensor.cgroupRoot(), sensor::execStart,
                EVENTS::add, Clock.systemUTC(), null);
        loopback = new Loopback(dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (loopback != null) {
            loopback.close();
        }
        if (applier != null) {
            applier.close();
        }
        if (enforcer != null) {
            enforcer.close();
        }
        if (sensor != null) {
            sensor.close();
        }
        if (workload != null) {
            workload.close();
        }
    }

    @Test
    void killByExecIdKillsThatExecAndRefusesAStaleOne() throws Exception {
        Process victim = workload.start(List.of("/usr/bin/sleep", "300"));
        String victimExec = execIdOf(victim.pid(), "/sleep");
        Process reexec = workload.start(List.of("/bin/sh", "-c", "read line; exec /usr/bin/sleep 301"));
        String before = execIdOf(reexec.pid(), "sh");
        try (OutputStream stdin = reexec.getOutputStream()) {
            stdin.write("go\n".getBytes());
        }
        String after = sink.awaitOne(ProcessExec.class, e -> e.getPid() == reexec.pid() && e.getBinary().endsWith("/sleep")).getExecId();
        assertThat(after).isNotEqualTo(before);

        DecisionAck stale = applier.apply(decision(DecisionAction.KILL_PROCESS, target().setExecId(before)));
        assertThat(stale.getOutcome()).isEqualTo(AckOutcome.REFUSED);
        assertThat(stale.getReason()).contains("stale exec id");
        assertThat(reexec.isAlive()).isTrue();

        DecisionAck killed = applier.apply(decision(DecisionAction.KILL_PROCESS, target().setExecId(victimExec)));
        assertThat(killed.getOutcome()).isEqualTo(AckOutcome.APPLIED);
        assertThat(killed.getDetail()).isEqualTo("SIGKILL pid " + victim.pid());
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(victim.exitValue()).isEqualTo(137);
        assertThat(reexec.isAlive()).isTrue();
        assertThat(applier.apply(decision(DecisionAction.KILL_PROCESS, target().setExecId(after))).getOutcome()).isEqualTo(AckOutcome.APPLIED);
        assertThat(reexec.waitFor(10, TimeUnit.SECONDS)).isTrue();

        String gone = NODE + ":" + victim.pid() + ":" + victimExec.substring(victimExec.lastIndexOf(':') + 1);
        assertThat(applier.apply(decision(DecisionAction.KILL_PROCESS, target().setExecId(gone))).getReason()).contains("stale exec id");
    }

    @Test
    void aKillForAnExecWhosePidWasReusedIsRefusedAndTheNewProcessLives() throws Exception {
        // the victim is a shell's child, not the JVM's: after waitFor returns, the JDK still holds a child's
        // exit under its pid for a moment, and a new child given that pid then would be reported dead at once
        Process holder = workload.start(List.of("/bin/sh", "-c", "/usr/bin/sleep 300 & echo $!; wait"));
        long pid;
        try (BufferedReader out = holder.inputReader()) {
            pid = Long.parseLong(out.readLine().strip());
        }
        String victimExec = execIdOf(pid, "/sleep");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).as("the shell reaped its killed child").isTrue();

        Process reuser = startWithPid(pid);
        try {
            String reuserExec = sink.awaitOne(ProcessExec.class, e -> e.getPid() == pid && !e.getExecId().equals(victimExec)).getExecId();
            assertThat(reuserExec).as("same pid, another exec id").startsWith(NODE + ":" + pid + ":");
            DecisionAck ack = applier.apply(decision(DecisionAction.KILL_PROCESS, target().setExecId(victimExec)));
            assertThat(ack.getOutcome()).isEqualTo(AckOutcome.REFUSED);
            assertThat(ack.getReason()).contains("stale exec id");
            assertThat(reuser.isAlive()).as("pid " + pid + " now belongs to another process").isTrue();
        } finally {
            reuser.destroyForcibly().waitFor();
        }
    }

    /** Starts sleep in the workload with exactly that (free) pid: the kernel hands out ns_last_pid + 1 next. */
    private static Process startWithPid(long pid) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Long.toString(pid - 1));
            Process process = workload.start(List.of("/usr/bin/sleep", "300"));
            if (process.pid() == pid) {
                return process;
            }
            process.destroyForcibly().waitFor(); // another fork took the pid first: try again
        }
        throw new IllegalStateException("could not get pid " + pid + " back in 200 attempts");
    }

    @Test
    void theRailsRefuseInitAndTheSensorItself() {
        DecisionAck init = applier.apply(decision(DecisionAction.KILL_PROCESS, target().setExecId(NODE + ":1:0")));
        assertThat(init.getOutcome()).isEqualTo(AckOutcome.REFUSED);
        assertThat(init.getReason()).contains("protected");
        DecisionAck self = applier.apply(decision(DecisionAction.KILL_PROCESS, target().setExecId(NODE + ":" + ProcessHandle.current().pid() + ":5")));
        assertThat(self.getOutcome()).isEqualTo(AckOutcome.REFUSED);
        assertThat(EVENTS).anySatisfy(e -> {
            assertThat(e.getKind()).isEqualTo(EnforcementEventKind.REFUSED);
            assertThat(e.getDecisionId()).isEqualTo(self.getDecisionId());
        });
    }

    @Test
    void aBlockHoldsUntilReleasedAndIsAppliedOnceAndHitsAreReported() {
        int port = loopback.port();
        Decision block = decision(DecisionAction.BLOCK_CONNECTION, target().setWorkload(workloadIdentity()).setDestinationCidr("127.0.0.2/32"));
        DecisionAck applied = applier.apply(block);
        assertThat(applied.getOutcome()).isEqualTo(AckOutcome.APPLIED);
        assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).isEqualTo(Loopback.EPERM);
        assertThat(loopback.reach(workload, "127.0.0.1", port, "tcp")).isEqualTo(Loopback.REACHED);
        assertThat(awaitEvent(EnforcementEventKind.HIT, block.getDecisionId()).getDestination().getIp()).isEqualTo("127.0.0.2");

        DecisionAck released = applier.apply(decision(DecisionAction.RELEASE, target().setReleaseDecisionId(block.getDecisionId())));
        assertThat(released.getOutcome()).isEqualTo(AckOutcome.RELEASED);
        assertThat(awaitEvent(EnforcementEventKind.RELEASED, block.getDecisionId())).isNotNull();
        assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).isEqualTo(Loopback.REACHED);

        assertThat(applier.apply(block)).as("a redelivered decision id is acked again, not re-applied").isEqualTo(applied);
        assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).isEqualTo(Loopback.REACHED);
    }

    @Test
    void isolationEndsWhenItsTtlRunsOut() throws Exception {
        int port = loopback.port();
        Decision isolate = decision(DecisionAction.ISOLATE_WORKLOAD, target().setWorkload(workloadIdentity()));
        isolate.setTtlMs(1500);
        assertThat(applier.apply(isolate).getOutcome()).isEqualTo(AckOutcome.APPLIED);
        assertThat(loopback.reach(workload, "127.0.0.1", port, "tcp")).isEqualTo(Loopback.EPERM);
        assertThat(awaitEvent(EnforcementEventKind.EXPIRED, isolate.getDecisionId()).getReason()).contains("ttl");
        assertThat(applier.activeDecisions()).doesNotContain(isolate.getDecisionId());
        assertThat(loopback.reach(workload, "127.0.0.1", port, "tcp")).isEqualTo(Loopback.REACHED);
    }

    @Test
    void dryRunsApplyNothing() {
        Decision block = decision(DecisionAction.BLOCK_CONNECTION, target().setWorkload(workloadIdentity()).setDestinationCidr("127.0.0.1"));
        block.setDryRun(true);
        assertThat(applier.apply(block).getOutcome()).isEqualTo(AckOutcome.DRY_RUN);
        assertThat(loopback.reach(workload, "127.0.0.1", loopback.port(), "tcp")).isEqualTo(Loopback.REACHED);
    }

    @Test
    void badDecisionsAreRefusedWithAReason() {
        assertThat(reason(decision(DecisionAction.BLOCK_CONNECTION, target().setWorkload(workloadIdentity()).setDestinationCidr("10.0.0.0/40"))))
                .contains("out of range");
        assertThat(reason(decision(DecisionAction.BLOCK_CONNECTION, target().setWorkload(workloadIdentity())))).contains("destination_cidr");
        assertThat(reason(decision(DecisionAction.ISOLATE_WORKLOAD, target()))).contains("names no workload");
        assertThat(reason(decision(DecisionAction.KILL_PROCESS, target()))).contains("valid exec id");
        assertThat(reason(decision(DecisionAction.DENY_EXEC, target().setWorkload(workloadIdentity()).setBinaryPath("/no/such/file"))))
                .contains("binary_path");
        assertThat(reason(decision(DecisionAction.RELEASE, target().setReleaseDecisionId("never-applied")))).contains("no active decision");
        assertThat(reason(decision(DecisionAction.ISOLATE_WORKLOAD, target().setNode("other-node").setWorkload(workloadIdentity()))))
                .contains("other-node");
        Decision late = decision(DecisionAction.ISOLATE_WORKLOAD, target().setWorkload(workloadIdentity()));
        late.setExpiresNs(1);
        assertThat(applier.apply(late).getOutcome()).isEqualTo(AckOutcome.EXPIRED);
        assertThat(loopback.reach(workload, "127.0.0.1", loopback.port(), "tcp")).isEqualTo(Loopback.REACHED);
    }

    private static String reason(Decision decision) {
        DecisionAck ack = applier.apply(decision);
        assertThat(ack.getOutcome()).isEqualTo(AckOutcome.REFUSED);
        return ack.getReason();
    }

    /** The exec id the sensor reported for the pid's image whose resolved binary name ends so (sh is often dash). */
    private static String execIdOf(long pid, String binaryEnding) {
        return sink.awaitOne(ProcessExec.class, e -> e.getPid() == pid && e.getBinary().endsWith(binaryEnding)).getExecId();
    }

    private static EnforcementAction awaitEvent(EnforcementEventKind kind, String decisionId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (EnforcementAction event : EVENTS) {
                if (event.getKind() == kind && decisionId.equals(event.getDecisionId())) {
                    return event;
                }
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("no " + kind + " event for " + decisionId + " in " + EVENTS);
    }

    static WorkloadIdentity workloadIdentity() {
        return WorkloadIdentity.newBuilder().setNode(NODE).setWorkloadKey("host/" + NODE + "/decisions")
                .setWorkloadKind("Cgroup").setWorkloadName("decisions").setCgroupPath(workload.path()).build();
    }

    private static DecisionTarget.Builder target() {
        return DecisionTarget.newBuilder().setNode(NODE);
    }

    private static Decision decision(DecisionAction action, DecisionTarget.Builder target) {
        return Decision.newBuilder().setDecisionId(UUID.randomUUID().toString()).setIssuedNs(System.currentTimeMillis() * 1_000_000L)
                .setIssuer("test").setAction(action).setTarget(target.build()).setReason("test")
                .setExpiresNs((System.currentTimeMillis() + 60_000) * 1_000_000L).setDryRun(false).build();
    }
}
