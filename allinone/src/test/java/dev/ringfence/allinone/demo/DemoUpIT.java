package dev.ringfence.allinone.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo up} in one process, {@code demo exec/alerts/down} from others, as a user would: a command the user
 * types into a pod is seen, detected and contained like the built-in scenarios, its output and exit code come
 * back, and {@code down} leaves nothing behind.
 */
class DemoUpIT {
    @Test
    void aUsersOwnCommandInAPodIsDetectedAndContainedAndDownRemovesEverything(@TempDir Path dir) throws Exception {
        DemoIT.Leftovers leftovers = DemoIT.Leftovers.find();
        Path state = dir.resolve("state");
        Path output = dir.resolve("up.out");
        Process up = DemoIT.demo(state, "up").redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
            while (!Files.readString(output).contains("Ready (enforce)")) {
                assertThat(up.isAlive()).as("demo up runs:\n" + Files.readString(output)).isTrue();
                assertThat(System.currentTimeMillis()).as("demo up ready in time:\n" + Files.readString(output)).isLessThan(deadline);
                Thread.sleep(500);
            }
            assertThat(state.resolve("demo/cluster.json")).exists();

            Result benign = run(state, "exec", "shop/db", "--", "python3", "-c", "import sys; print(sys.stdin.read().upper()); sys.exit(3)");
            assertThat(benign.status()).as("exit code passed through: " + benign.output()).isEqualTo(3);
            assertThat(benign.output()).as("stdin and stdout attached").contains("HELLO");

            Result shell = run(state, "exec", "shop/api", "--", "/bin/sh", "-c", "sleep 60; echo survived");
            assertThat(shell.status()).as("the user's shell in api is killed: " + shell.output()).isEqualTo(137);
            assertThat(shell.output()).doesNotContain("survived");

            Result alerts = awaitAlerts(state, "RF-EXEC-001");
            assertThat(alerts.output()).contains("\"workload\":\"shop/Pod/api\"").contains("\"action\":\"KILL_PROCESS\"");
            Result human = run(state, "alerts");
            assertThat(human.output()).contains("ALERT RF-EXEC-001").contains("shop/Pod/api");

            Result bad = run(state, "exec", "shop/nope", "--", "id");
            assertThat(bad.status()).isEqualTo(2);
            assertThat(bad.output()).contains("no pod shop/nope");

            Result down = run(state, "down");
            assertThat(down.status()).as(down.output()).isZero();
            assertThat(up.waitFor(2, TimeUnit.MINUTES)).as("down stops demo up").isTrue();
            leftovers.assertNothingLeft();
            assertThat(state.resolve("demo/cluster.json")).doesNotExist();
        } finally {
            if (up.isAlive()) {
                up.destroy();
                up.waitFor(2, TimeUnit.MINUTES);
            }
        }
    }

    private record Result(int status, String output) {}

    private static Result run(Path state, String... args) throws Exception {
        Process process = DemoIT.demo(state, args).redirectErrorStream(true).start();
        process.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), text);
    }

    private static Result awaitAlerts(Path state, String rule) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Result alerts = run(state, "alerts", "--json");
            if (alerts.output().contains(rule) && alerts.output().contains("KILL_PROCESS") || System.currentTimeMillis() > deadline) {
                return alerts;
            }
            Thread.sleep(1000);
        }
    }
}
