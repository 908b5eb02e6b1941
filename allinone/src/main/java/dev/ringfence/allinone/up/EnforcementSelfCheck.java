package dev.ringfence.allinone.up;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.Role;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.process.ExecIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Proves, when {@code up} enforces, that a decision reaches the kernel: a canary process started for the purpose is
 * killed by a KILL_PROCESS decision submitted to the feedback service, routed over the sensor's mTLS link and applied
 * with a pidfd, as a detection's decision would be. It also moves the path's one-time costs (class loading, the
 * link's first call, the first audit and enforcement records) to start-up instead of the first real containment.
 */
final class EnforcementSelfCheck {
    private static final String CANARY = "/bin/sleep";
    private static final Duration EXEC_WAIT = Duration.ofSeconds(5);
    private static final Duration EXEC_SETTLE = Duration.ofMillis(20);

    private EnforcementSelfCheck() {}

    /** The time from submitting the decision to the canary's death; throws with the reason when it is not killed. */
    static Duration run(Sensor sensor, String node, String feedbackAddress, Path certs, Duration timeout) throws Exception {
        Process canary = new ProcessBuilder(CANARY, "600").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long execStart = execStartOf(sensor, canary);
            Decision kill = killDecision(node, canary.pid(), execStart);
            if (!sensor.enforcement().orElseThrow(() -> new IllegalStateException("the sensor runs without enforcement"))
                    .awaitConnected(timeout)) {
                throw new IllegalStateException("the sensor did not connect to the feedback service within " + timeout.toSeconds() + " s");
            }
            long submitted = System.nanoTime();
            try (EnforcementClient client = EnforcementClient.connect(feedbackAddress,
                    CertificateAuthority.filesOf(certs, Role.ISSUER, Certificates.CLI_ISSUER).tls())) {
                SubmitReply reply = client.submit(kill);
                if (reply.getVerdict() != Verdict.ACCEPTED) {
                    throw new IllegalStateException("the feedback service answered " + reply.getVerdict() + ": " + reply.getReason());
                }
            }
            if (!canary.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the canary process " + canary.pid() + " was not killed within " + timeout.toSeconds() + " s");
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - submitted);
            if (canary.exitValue() != 128 + 9) {
                throw new IllegalStateException("the canary process ended with status " + canary.exitValue() + ", not by SIGKILL");
            }
            return elapsed;
        } finally {
            canary.destroyForcibly();
        }
    }

    /**
     * The canary's exec start as the sensor's process table holds it, once the canary runs the canary binary. The JDK
     * starts it through a helper it execs first, and the exe link changes a moment before the kernel's exec event:
     * the table is read after a pause far longer than that moment, not while it may still hold the helper's start.
     */
    private static long execStartOf(Sensor sensor, Process canary) throws IOException, InterruptedException {
        Path exe = Path.of("/proc", Long.toString(canary.pid()), "exe");
        Path canaryBinary = Path.of(CANARY).toRealPath();
        long deadline = System.nanoTime() + EXEC_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(exe) && Files.readSymbolicLink(exe).equals(canaryBinary)) {
                Thread.sleep(EXEC_SETTLE.toMillis());
                OptionalLong start = sensor.execStart((int) canary.pid());
                if (start.isPresent()) {
                    return start.getAsLong();
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the sensor did not see the canary process " + canary.pid() + " start " + CANARY);
    }

    private static Decision killDecision(String node, long pid, long execStart) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return Decision.newBuilder()
                .setDecisionId("selfcheck-" + node + "-" + pid + "-" + execStart)
                .setIssuedNs(now)
                .setIssuer(Certificates.CLI_ISSUER)
                .setAction(DecisionAction.KILL_PROCESS)
                .setTarget(DecisionTarget.newBuilder().setNode(node).setExecId(ExecIds.of(node, (int) pid, execStart))
                        .setBinaryPath(CANARY).build())
                .setReason("ringfence up: start-up self-check of the enforcement path (kills a canary process it started)")
                .setExpiresNs(now + Duration.ofSeconds(30).toNanos())
                .setDryRun(false) // the contract's default is a dry run
                .build();
    }
}
