package dev.ringfence.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.sensor.capture.EventKind;
import dev.ringfence.sensor.enforce.net.Destination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void readsEverySetting() throws Exception {
        SensorConfig config = read("""
                node = worker-1
                events = exec, exit, flow
                watch.cgroups = /sys/fs/cgroup/unified/a,/sys/fs/cgroup/unified/b
                file.prefixes = /etc/shadow
                flow.interval = 5s
                throttle.rate = 100
                throttle.burst = 200
                queue.capacity = 1024
                ringbuf.drain = 20ms
                health.interval = 250ms
                kubernetes = false
                spool.max.bytes = 2097152
                metrics.port = 9464
                """).build();
        assertThat(config.node()).isEqualTo("worker-1");
        assertThat(config.events()).isEqualTo(Set.of(EventKind.EXEC, EventKind.EXIT, EventKind.FLOW));
        assertThat(config.watchCgroups()).containsExactly(Path.of("/sys/fs/cgroup/unified/a"), Path.of("/sys/fs/cgroup/unified/b"));
        assertThat(config.watchAll()).isFalse();
        assertThat(config.filePrefixes()).containsExactly("/etc/shadow");
        assertThat(config.flowInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.throttleRate()).isEqualTo(100);
        assertThat(config.throttleBurst()).isEqualTo(200);
        assertThat(config.queueCapacity()).isEqualTo(1024);
        assertThat(config.ringDrainInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.healthInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.spoolMaxBytes()).isEqualTo(2097152);
        assertThat(config.metricsPort()).isEqualTo(9464);
    }

    @Test
    void everyMistakeNamesTheKey() {
        assertThatThrownBy(() -> read("nodes = x")).hasMessageContaining("unknown key(s) [nodes]");
        assertThatThrownBy(() -> read("events = exec,spawn")).hasMessageContaining("events").hasMessageContaining("unknown event type 'spawn'");
        assertThatThrownBy(() -> read("flow.interval = 5")).hasMessageContaining("flow.interval").hasMessageContaining("not a duration");
        assertThatThrownBy(() -> read("flow.interval = 10ms")).hasMessageContaining("at least 100ms");
        assertThatThrownBy(() -> read("throttle.rate = -1")).hasMessageContaining("throttle.rate");
        assertThatThrownBy(() -> read("ringbuf.drain = 0ms")).hasMessageContaining("ringbuf.drain").hasMessageContaining("between 1ms and 10s");
        assertThatThrownBy(() -> read("ringbuf.drain = 1m")).hasMessageContaining("ringbuf.drain");
        assertThatThrownBy(() -> read("queue.capacity = lots")).hasMessageContaining("queue.capacity").hasMessageContaining("not an integer");
        assertThatThrownBy(() -> read("watch.cgroups = relative/dir")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> read("file.prefixes = etc/shadow")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> read("kubernetes = yes")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> read("node = bad node")).hasMessageContaining("node");
        assertThatThrownBy(() -> read("metrics.port = 70000")).hasMessageContaining("metrics port");
    }

    @Test
    void theFeedbackLinkNeedsAllFourSettings() throws Exception {
        Path cert = Files.writeString(dir.resolve("node.crt"), "x");
        Path key = Files.writeString(dir.resolve("node.key"), "x");
        Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
        String files = "feedback.cert = " + cert + "\nfeedback.key = " + key + "\nfeedback.ca = " + ca + "\n";
        FeedbackLink link = read("feedback.address = feedback:7443\n" + files).build().feedback().orElseThrow();
        assertThat(link).isEqualTo(new FeedbackLink("feedback:7443", cert, key, ca));
        assertThat(SensorConfig.builder().build().feedback()).isEmpty();
        assertThatThrownBy(() -> read(files).build()).hasMessageContaining("need feedback.address");
        assertThatThrownBy(() -> read("feedback.address = feedback\n" + files).build()).hasMessageContaining("feedback.address must be HOST:PORT");
        assertThatThrownBy(() -> read("feedback.address = feedback:7443\nfeedback.cert = " + cert).build())
                .hasMessageContaining("feedback.key is required");
        assertThatThrownBy(() -> read("feedback.address = feedback:7443\n" + files.replace(ca.toString(), "/no/such/ca.crt")).build())
                .hasMessageContaining("feedback.ca /no/such/ca.crt is not a readable file");
    }

    @Test
    void theIsolationAllowlistIsParsedAndValidated() throws Exception {
        List<Destination> allow = read("isolation.allow = udp/53@10.96.0.10, tcp/7443@fd00::1/128, 192.168.0.0/16").build().isolationAllow();
        assertThat(allow).extracting(Destination::port).containsExactly(53, 7443, 0);
        assertThat(allow).extracting(Destination::protocol)
                .containsExactly(Destination.Protocol.UDP, Destination.Protocol.TCP, Destination.Protocol.ANY);
        assertThat(allow.get(2).network().prefixBits()).isEqualTo(96 + 16);
        assertThatThrownBy(() -> read("isolation.allow = icmp/1@10.0.0.1")).hasMessageContaining("isolation.allow")
                .hasMessageContaining("protocol must be tcp, udp or any");
        assertThatThrownBy(() -> read("isolation.allow = udp/dns@10.0.0.1")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> read("isolation.allow = tcp/80@10.0.0.0/99")).hasMessageContaining("out of range");
    }

    private SensorConfig.Builder read(String text) throws Exception {
        Path file = dir.resolve("sensor.properties");
        Files.writeString(file, text);
        return ConfigFile.read(file, SensorConfig.builder());
    }

    @Test
    void theDefaultNodeIsTheHostNameUnameReports() throws Exception {
        Process uname = new ProcessBuilder("uname", "-n").start();
        String hostName = new String(uname.getInputStream().readAllBytes()).strip();
        assertThat(uname.waitFor()).isZero();

        assertThat(SensorConfig.builder().build().node()).isEqualTo(hostName);
    }

    @Test
    void defaultsWatchEverythingWithEveryEventType() {
        SensorConfig config = SensorConfig.builder().build();
        assertThat(config.watchAll()).isTrue();
        assertThat(config.events()).containsExactlyInAnyOrder(EventKind.values());
        assertThat(config.filePrefixes()).contains("/etc/shadow", "/root/.ssh");
        assertThat(List.of(config.throttleRate(), config.throttleBurst())).allMatch(limit -> limit > 0);
    }
}
