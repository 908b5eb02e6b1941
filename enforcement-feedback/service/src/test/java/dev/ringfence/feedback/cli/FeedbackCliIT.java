package dev.ringfence.feedback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.Role;
import dev.ringfence.feedback.testing.TestSensor;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end: certs made by the CLI, `feedback serve` in its own JVM, contain/decisions/release against it. */
class FeedbackCliIT {
    private static final Pattern SERVING = Pattern.compile("serving on port (\\d+)");

    @TempDir
    Path state;

    @Test
    void containListAndReleaseAgainstARunningService() throws Exception {
        assertThat(cli("certs", "init", "--state", state.toString()).code).isZero();
        assertThat(cli("certs", "init", "--state", state.toString()).err).contains("already exists");
        assertThat(cli("certs", "service", "--state", state.toString()).out).contains("ringfence://service/feedback");
        assertThat(cli("certs", "node", "node-a", "--state", state.toString()).code).isZero();
        assertThat(cli("certs", "issuer", "cli", "--state", state.toString()).code).isZero();
        assertThat(cli("certs", "node", "../escape", "--state", state.toString()).err).contains("node name must be");
        Path certs = state.resolve("certs");
        assertThat(Files.getPosixFilePermissions(certs.resolve("ca.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(certs.resolve("nodes/node-a.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Process serve = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"), FeedbackCli.class.getName(),
                "feedback", "serve", "--state", state.toString(), "--port", "0").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int port = awaitPort(serve);
            assertThat(Files.readString(state.resolve("feedback.address")).trim()).isEqualTo("localhost:" + port);
            try (TestSensor sensor = TestSensor.connect(port,
                    CertificateAuthority.filesOf(certs, Role.NODE, "node-a"), AckOutcome.APPLIED)) {
                Result contained = cli("contain", "shop/cart", "--node", "node-a", "--isolate", "--ttl", "10m", "--state", state.toString());
                assertThat(contained.code).as(contained.err).isZero();
                assertThat(contained.out).contains("ACCEPTED");
                Decision isolate = sensor.next();
                assertThat(isolate.getAction()).isEqualTo(DecisionAction.ISOLATE_WORKLOAD);
                assertThat(isolate.getTtlMs()).isEqualTo(600_000);
                assertThat(isolate.getTarget().getWorkload().getWorkloadKey()).isEqualTo("shop/Deployment/cart");
                assertThat(isolate.getSigningKeyId()).isEqualTo("cli");
                assertThat(isolate.getSignature()).isNotNull();
                assertThat(contained.out).startsWith(isolate.getDecisionId() + " ACCEPTED");

                Result listed = awaitListing(isolate.getDecisionId(), "ENFORCED");
                assertThat(listed.out).contains("ISOLATE_WORKLOAD").contains("shop/Deployment/cart").contains("1 decision(s)");

                assertThat(cli("release", isolate.getDecisionId(), "--reason", "false positive", "--state", state.toString()).code).isZero();
                Decision release = sensor.next();
                assertThat(release.getAction()).isEqualTo(DecisionAction.RELEASE);
                assertThat(release.getTarget().getReleaseDecisionId()).isEqualTo(isolate.getDecisionId());

                Result protectedKill = cli("contain", "node-a:1:42", "--state", state.toString());
                assertThat(protectedKill.code).isEqualTo(ClientCommands.REFUSED);
                assertThat(protectedKill.out).contains("REFUSED: protected: pid 1");
                assertThat(sensor.received()).hasSize(2);
            }
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("service stopped on SIGTERM").isTrue();
        }
        assertThat(state.resolve("feedback.address")).doesNotExist();
    }

    @Test
    void badCommandLinesAreExplained() throws Exception {
        assertThat(cli("contain", "--state", state.toString()).code).isEqualTo(FeedbackCli.USAGE_ERROR);
        Result ttlOnKill = cli("contain", "node-a:77:1", "--ttl", "5m", "--service", "localhost:1", "--state", state.toString());
        assertThat(ttlOnKill.code).isEqualTo(FeedbackCli.USAGE_ERROR);
        Result noCert = cli("decisions", "--service", "localhost:1", "--state", state.toString());
        assertThat(noCert.err).contains("no issuer certificate").contains("certs issuer cli");
        assertThat(cli("contain", "x", "--ttl", "soon", "--state", state.toString()).err).contains("--ttl must look like");
        assertThat(cli("frobnicate").code).isEqualTo(FeedbackCli.USAGE_ERROR);
    }

    private Result awaitListing(String id, String state) throws Exception {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        Result listed;
        do {
            listed = cli("decisions", "--state", this.state.toString());
            if (listed.out.contains(id) && listed.out.contains(state)) {
                return listed;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("decision " + id + " not listed as " + state + ": " + listed.out + listed.err);
    }

    private static int awaitPort(Process serve) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher matcher = SERVING.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            lines.add(line);
        }
        throw new AssertionError("feedback serve ended without serving: " + lines);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Result cli(String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FeedbackCli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int code, String out, String err) {}
}
