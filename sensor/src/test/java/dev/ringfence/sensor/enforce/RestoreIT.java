package dev.ringfence.sensor.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.EnforcementEventKind;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.feedback.rails.ProtectedSet;
import dev.ringfence.sensor.enforce.net.Destination;
import dev.ringfence.sensor.identity.CgroupTree;
import dev.ringfence.sensor.kernel.Mounts;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new sensor over the pinned maps takes over the decisions in force, their TTLs, and prunes what no decision owns. */
class RestoreIT {
    private static final String NODE = "restore-node";

    @TempDir
    Path dir;

    @Test
    void aRestartedApplierTakesOverItsDecisionsAndPrunesOrphans() throws Exception {
        Path pins = Enforcer.pinDirectory("restore-it-" + UUID.randomUUID().toString().substring(0, 8));
        Path state = dir.resolve("decisions");
        Path cgroupRoot = Mounts.current().cgroup2().orElseThrow();
        try (TestCgroup workload = TestCgroup.create("restore"); Loopback loopback = new Loopback(dir)) {
            int port = loopback.port();
            Decision kept = block(workload, "127.0.0.2/32", 0);
            Decision expiring = block(workload, "127.0.0.4/32", 2000);
            try (Enforcer first = Enforcer.start(dir.resolve("first"), pins, hit -> {});
                 DecisionApplier applier = applier(first, cgroupRoot, state, new ConcurrentLinkedQueue<>())) {
                assertThat(applier.apply(kept).getOutcome()).isEqualTo(AckOutcome.APPLIED);
                assertThat(applier.apply(expiring).getOutcome()).isEqualTo(AckOutcome.APPLIED);
                first.connections().block(workload.id(), Destination.of("127.0.0.3/32", 0, Destination.Protocol.ANY)); // owned by no decision
            } // the first sensor is gone; its pins and its decision store remain
            assertThat(loopback.reach(workload, "127.0.0.3", port, "tcp")).isEqualTo(Loopback.EPERM);

            ConcurrentLinkedQueue<EnforcementAction> events = new ConcurrentLinkedQueue<>();
            try (Enforcer second = Enforcer.start(dir.resolve("second"), pins, hit -> {});
                 DecisionApplier applier = applier(second, cgroupRoot, state, events)) {
                assertThat(applier.restore()).isEqualTo(2);
                assertThat(loopback.reach(workload, "127.0.0.3", port, "tcp")).as("orphan pruned").isEqualTo(Loopback.REACHED);
                assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).isEqualTo(Loopback.EPERM);
                awaitExpired(events, expiring.getDecisionId());
                assertThat(loopback.reach(workload, "127.0.0.4", port, "tcp")).as("TTL ran out across the restart").isEqualTo(Loopback.REACHED);
                Decision release = Decision.newBuilder(kept).setDecisionId("release-" + UUID.randomUUID()).setAction(DecisionAction.RELEASE)
                        .setTarget(DecisionTarget.newBuilder().setNode(NODE).setReleaseDecisionId(kept.getDecisionId()).build()).build();
                assertThat(applier.apply(release).getOutcome()).isEqualTo(AckOutcome.RELEASED);
                assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).isEqualTo(Loopback.REACHED);
            }
        } finally {
            Enforcer.removePins(pins);
        }
    }

    @Test
    void anExecHeldWhileNoSensorRanIsJudgedByTheRestoredPolicy() throws Exception {
        Path pins = Enforcer.pinDirectory("restore-exec-it-" + UUID.randomUUID().toString().substring(0, 8));
        Path state = dir.resolve("exec-decisions");
        Path cgroupRoot = Mounts.current().cgroup2().orElseThrow();
        Path denied = Files.copy(Path.of("/usr/bin/touch"), dir.resolve("denied-tool"), StandardCopyOption.COPY_ATTRIBUTES);
        try (TestCgroup workload = TestCgroup.create("restore-exec")) {
            Decision deny = decision(DecisionAction.DENY_EXEC, DecisionTarget.newBuilder().setNode(NODE).setWorkload(identity(workload))
                    .setBinaryPath(denied.toString()).build(), 0);
            try (Enforcer first = Enforcer.start(dir.resolve("exec-first"), pins, hit -> {});
                 DecisionApplier applier = applier(first, cgroupRoot, state, new ConcurrentLinkedQueue<>())) {
                assertThat(applier.apply(deny).getOutcome()).isEqualTo(AckOutcome.APPLIED);
            }
            Path copy = Files.copy(denied, dir.resolve("copied-during-outage"), StandardCopyOption.COPY_ATTRIBUTES);
            Process held = workload.start(List.of(copy.toString(), dir.resolve("outage-file").toString()));
            awaitStopped(held.pid());

            try (Enforcer second = Enforcer.startPaused(dir.resolve("exec-second"), pins, new CgroupTree(cgroupRoot), hit -> {});
                 DecisionApplier applier = applier(second, cgroupRoot, state, new ConcurrentLinkedQueue<>())) {
                assertThat(applier.restore()).isEqualTo(1);
                second.startReporting();
                assertThat(held.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(held.exitValue()).isEqualTo(137);
                assertThat(dir.resolve("outage-file")).doesNotExist();
            }
        } finally {
            Enforcer.removePins(pins);
        }
    }

    /** Waits for state T in /proc/PID/stat: stopped by the kernel at exec. */
    private static void awaitStopped(long pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            if (stat.charAt(stat.lastIndexOf(')') + 2) == 'T') {
                return;
            }
            assertThat(System.nanoTime()).as("process " + pid + " stopped at exec; stat " + stat).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static DecisionApplier applier(Enforcer enforcer, Path cgroupRoot, Path state, ConcurrentLinkedQueue<EnforcementAction> events) {
        return new DecisionApplier(NODE, enforcer, ProtectedSet.defaults(), cgroupRoot, pid -> OptionalLong.empty(), events::add,
                Clock.systemUTC(), state);
    }

    private static void awaitExpired(ConcurrentLinkedQueue<EnforcementAction> events, String decisionId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (events.stream().noneMatch(e -> e.getKind() == EnforcementEventKind.EXPIRED && decisionId.equals(e.getDecisionId()))) {
            assertThat(System.nanoTime()).as("EXPIRED event for " + decisionId).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Decision block(TestCgroup workload, String cidr, long ttlMs) {
        return decision(DecisionAction.BLOCK_CONNECTION,
                DecisionTarget.newBuilder().setNode(NODE).setWorkload(identity(workload)).setDestinationCidr(cidr).build(), ttlMs);
    }

    private static WorkloadIdentity identity(TestCgroup workload) {
        return WorkloadIdentity.newBuilder().setNode(NODE).setWorkloadKey("host/" + NODE + "/restore")
                .setWorkloadKind("Cgroup").setWorkloadName("restore").setCgroupPath(workload.path()).build();
    }

    private static Decision decision(DecisionAction action, DecisionTarget target, long ttlMs) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return Decision.newBuilder().setDecisionId("restore-" + UUID.randomUUID()).setIssuedNs(now).setIssuer("test")
                .setAction(action).setTarget(target)
                .setReason("test").setTtlMs(ttlMs).setExpiresNs(now + Duration.ofMinutes(1).toNanos()).setDryRun(false).build();
    }
}
