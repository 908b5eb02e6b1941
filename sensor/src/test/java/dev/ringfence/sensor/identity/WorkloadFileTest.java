package dev.ringfence.sensor.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsWorkloadsWithLabelsAndIps() throws Exception {
        List<LocalWorkload> workloads = parse("""
                {"workloads": [{"name": "web", "cgroup": "/system.slice/nginx.service/", "labels": {"app": "web"},
                                "ips": ["10.0.0.5", "fd00::5"]},
                               {"name": "batch", "cgroup": "/batch"}]}""");
        assertThat(workloads).containsExactly(
                new LocalWorkload("web", "/system.slice/nginx.service", Map.of("app", "web"), List.of("10.0.0.5", "fd00::5")),
                new LocalWorkload("batch", "/batch", Map.of(), List.of()));
        assertThat(workloads.getFirst().contains("/system.slice/nginx.service/worker")).isTrue();
        assertThat(workloads.getFirst().contains("/system.slice/nginx.service2")).isFalse();
    }

    @Test
    void rejectsWhatItDoesNotUnderstandSayingWhere() {
        assertThatThrownBy(() -> parse("{\"workloads\": [{\"name\": \"web\", \"cgroup\": \"/a\", \"ip\": \"1.2.3.4\"}]}"))
                .hasMessageContaining("workloads[0]").hasMessageContaining("unknown key 'ip'");
        assertThatThrownBy(() -> parse("{\"workloads\": [{\"name\": \"web\", \"cgroup\": \"/a\", \"ips\": [\"10.0.0.300\"]}]}"))
                .hasMessageContaining("not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> parse("{\"workloads\": [{\"name\": \"web\", \"cgroup\": \"relative\"}]}"))
                .hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> parse("{\"workloads\": [{\"cgroup\": \"/a\"}]}"))
                .hasMessageContaining("'name' is required");
        assertThatThrownBy(() -> parse("{\"workloads\": [{\"name\": \"a\", \"cgroup\": \"/a\"}, {\"name\": \"a\", \"cgroup\": \"/b\"}]}"))
                .hasMessageContaining("duplicate workload name a");
        assertThatThrownBy(() -> parse("{\"services\": []}")).hasMessageContaining("expected {\"workloads\": [...]}");
    }

    @Test
    void aMissingFileIsAClearError() {
        assertThatThrownBy(() -> WorkloadFile.read(Path.of("/nonexistent/workloads.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/workloads.json");
    }

    private static List<LocalWorkload> parse(String json) throws Exception {
        return WorkloadFile.parse(JSON.readTree(json), "test.json");
    }
}
