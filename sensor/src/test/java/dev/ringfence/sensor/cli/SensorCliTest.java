package dev.ringfence.sensor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorCliTest {
    @Test
    void badCommandLinesExitWithUsageAndSayWhy() {
        assertRejected(List.of(), "no command");
        assertRejected(List.of("sensor", "start"), "unknown command");
        assertRejected(List.of("events", "-o", "json"), "needs --standalone");
        assertRejected(List.of("events", "--standalone", "-o", "yaml"), "-o must be compact or json");
        assertRejected(List.of("events", "--standalone", "--duration", "soon"), "not a duration");
        assertRejected(List.of("events", "--standalone", "--verbose"), "unknown argument '--verbose'");
        assertRejected(List.of("sensor", "run"), "needs --kafka");
        assertRejected(List.of("sensor", "run", "--kafka", "localhost"), "--kafka must be HOST:PORT");
        assertRejected(List.of("sensor", "run", "--kafka", "localhost:99999"), "port number");
        assertRejected(List.of("sensor", "run", "--kafka", "localhost:9092", "--metrics-port", "x"), "--metrics-port");
        assertRejected(List.of("sensor", "run", "--kafka", "localhost:9092", "--node", "a b"), "node");
        assertRejected(List.of("sensor", "run", "--kafka", "localhost:9092", "--config", "/nonexistent.properties"), "/nonexistent.properties");
        assertRejected(List.of("sensor", "check", "--now"), "unknown argument");
    }

    @Test
    void kafkaClientSecuritySettingsAreValidatedBeforeTheSensorStarts(@TempDir Path dir) throws Exception {
        assertRejected(List.of("sensor", "run", "--kafka", "localhost:9093", "--kafka-config", "/nonexistent/kafka.properties"),
                "/nonexistent/kafka.properties: no such readable file");
        Path notSecurity = Files.writeString(dir.resolve("group.properties"), "security.protocol=SSL\ngroup.id=elsewhere\n");
        assertRejected(List.of("sensor", "run", "--kafka", "localhost:9093", "--kafka-config", notSecurity.toString()),
                "'group.id' is not a security setting");
        Path missingKeystore = Files.writeString(dir.resolve("tls.properties"),
                "security.protocol=SSL\nssl.keystore.location=" + dir.resolve("user.p12") + "\n");
        assertRejected(List.of("sensor", "run", "--kafka", "localhost:9093", "--kafka-config", missingKeystore.toString()),
                "ssl.keystore.location names " + dir.resolve("user.p12"));
    }

    private static void assertRejected(List<String> args, String reason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SensorCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as("%s -> %s", args, message).isEqualTo(2);
        assertThat(message).contains(reason).contains("usage:");
    }
}
