package dev.ringfence.allinone.up;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.ca.Role;
import dev.ringfence.feedback.signing.DecisionSignatures;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.process.ExecIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Proves, when {@code up} enforces, that a detection's decision reaches the kernel: a canary process started for the
 * purpose is killed by a KILL_PROCESS decision written to the decisions topic, as the detection job writes its own,
 * read by the feedback service, routed over the sensor's mTLS link and applied with a pidfd. A feedback service that
 * does not read the topic (wrong broker, topic or ACL) fails the check instead of every later containment. The
 * decision is signed with the CLI issuer's key, so the check holds where the service requires signed decisions. It
 * also moves the path's one-time costs (the broker's and the consumer's first decision, class loading, the link's
 * first call, the first audit and enforcement records) to start-up instead of the first real containment.
 */
final class EnforcementSelfCheck {
    private static final String CANARY = "/bin/sleep";
    private static final Duration EXEC_WAIT = Duration.ofSeconds(5);
    private static final Duration EXEC_SETTLE = Duration.ofMillis(20);
    private static final ContractCodec<Decision> DECISIONS = ContractCodec.of(Decision.class);

    private EnforcementSelfCheck() {}

    /** The time from writing the decision to the canary's death; throws with the reason when it is not killed. */
    static Duration run(Sensor sensor, String node, String bootstrap, Path certs, Duration timeout) throws Exception {
        Process canary = new ProcessBuilder(CANARY, "600").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long execStart = execStartOf(sensor, canary);
            IssuedCertificate issuer = CertificateAuthority.filesOf(certs, Role.ISSUER, Certificates.CLI_ISSUER);
            Decision kill = DecisionSignatures.sign(killDecision(node, canary.pid(), execStart), Certificates.CLI_ISSUER,
                    issuer.loadPrivateKey());
            if (!sensor.enforcement().orElseThrow(() -> new IllegalStateException("the sensor runs without enforcement"))
                    .awaitConnected(timeout)) {
                throw new IllegalStateException("the sensor did not connect to the feedback service within " + timeout.toSeconds() + " s");
            }
            Duration elapsed;
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, timeout)) {
                long submitted = System.nanoTime();
                publish(producer, kill, timeout);
                if (!canary.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the canary process " + canary.pid() + " was not killed within " + timeout.toSeconds()
                            + " s of its decision " + kill.getDecisionId() + " reaching " + Topic.DECISIONS.topicName()
                            + " (the feedback service's audit says why)");
                }
                elapsed = Duration.ofNanos(System.nanoTime() - submitted);
            }
            if (canary.exitValue() != 128 + 9) {
                throw new IllegalStateException("the canary process ended with status " + canary.exitValue() + ", not by SIGKILL");
            }
            return elapsed;
        } finally {
            canary.destroyForcibly();
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, Duration timeout) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.CLIENT_ID_CONFIG, "ringfence-up-self-check",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void publish(KafkaProducer<byte[], byte[]> producer, Decision decision, Duration timeout) throws Exception {
        try {
            producer.send(new ProducerRecord<>(Topic.DECISIONS.topicName(), RecordKeys.keyBytes(decision), DECISIONS.encode(decision)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the decision to " + Topic.DECISIONS.topicName() + ": "
                    + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge the decision on " + Topic.DECISIONS.topicName()
                    + " within " + timeout.toSeconds() + " s", e);
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

    static Decision killDecision(String node, long pid, long execStart) {
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
