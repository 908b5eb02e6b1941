package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.k8s.render.Resource;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every component talks to Kafka over mTLS as its own KafkaUser: --kafka names the cluster's one listener, which
 * requires client certificates; --kafka-config names a file the component's own check (KafkaClientSecurity) accepts
 * when exactly the files the pod mounts exist; the certificate mounted is the component's KafkaUser's (whose ACLs
 * TopicsMatchContractTest compares with the code) and the trust store is Strimzi's cluster CA.
 */
class KafkaClientWiringTest {

    /** kind, name, container, KafkaUser of each Kafka client. */
    record Client(String kind, String name, String container, String user) {}

    static final List<Client> CLIENTS = List.of(
            new Client("DaemonSet", "ringfence-sensor", "sensor", "ringfence-sensor"),
            new Client("Deployment", "ringfence-feedback", "feedback", "ringfence-feedback"),
            new Client("FlinkDeployment", "ringfence-jobs", "flink-main-container", "ringfence-jobs"),
            new Client("FlinkDeployment", "ringfence-sinks", "flink-main-container", "ringfence-sinks"));

    private static final Pattern DIR_REFERENCE = Pattern.compile("\\$\\{(\\w+):([^}:]+):([^}:]+)}");

    @TempDir
    Path root;

    @Test
    void theOnlyListenerRequiresClientCertificatesAndNobodyIsASuperUser() {
        for (String target : Manifests.TARGETS) {
            Resource kafka = Manifests.ofKind(Manifests.rendered(target), "Kafka").getFirst();
            assertKafkaIsMutualTlsOnly(kafka);
        }
    }

    @Test
    void everyComponentConnectsToTheTlsListenerAsItsOwnKafkaUser() {
        for (String target : Manifests.TARGETS) {
            for (Client client : CLIENTS) {
                assertClient(target, client, Manifests.rendered(target));
            }
        }
    }

    @Test
    void everyKafkaUserAuthenticatesWithTheCertificateItsComponentMounts() {
        for (Client client : CLIENTS) {
            Resource user = Manifests.one(Manifests.base(), "KafkaUser", client.user());
            assertThat(user.body().at("/spec/authentication/type").asText()).as(client.user()).isEqualTo("tls");
            assertThat(user.body().at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("ringfence");
        }
        assertThat(Manifests.ofKind(Manifests.base(), "KafkaUser")).extracting(Resource::name)
                .containsExactlyInAnyOrderElementsOf(CLIENTS.stream().map(Client::user).toList());
    }

    @Test
    void theChecksWouldNoticeBrokenWiring() {
        List<Resource> base = Manifests.base();
        Client sensor = CLIENTS.getFirst();
        // another component's certificate: its ACLs, not the sensor's
        assertThatThrownBy(() -> assertClient("base", sensor, replace(base, sensor, body ->
                ((ObjectNode) volume(body, "kafka-client").at("/projected/sources/1/secret")).put("name", "ringfence-jobs"))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("ringfence-sensor");
        // the password file is not projected: Kafka's directory provider would find nothing
        assertThatThrownBy(() -> assertClient("base", sensor, replace(base, sensor, body ->
                ((com.fasterxml.jackson.databind.node.ArrayNode) volume(body, "kafka-client").at("/projected/sources/1/secret/items")).remove(1))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("user.password");
        // the plain port
        assertThatThrownBy(() -> assertClient("base", sensor, replace(base, sensor, body -> {
            com.fasterxml.jackson.databind.node.ArrayNode args = (com.fasterxml.jackson.databind.node.ArrayNode)
                    container(body, sensor).path("args");
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).asText().equals("--kafka")) {
                    args.set(i + 1, args.textNode("ringfence-kafka-bootstrap:9092"));
                }
            }
        }))).isInstanceOf(AssertionError.class).hasMessageContaining("9093");
        // a listener without client authentication, a super user
        Resource kafka = Manifests.one(base, "Kafka", "ringfence");
        assertThatThrownBy(() -> assertKafkaIsMutualTlsOnly(Mutation.remove("/spec/kafka/listeners/0/authentication").applyTo(kafka)))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertKafkaIsMutualTlsOnly(Mutation.set("/spec/kafka/authorization/superUsers", "[ANONYMOUS]").applyTo(kafka)))
                .isInstanceOf(AssertionError.class);
    }

    private void assertClient(String target, Client client, List<Resource> resources) {
        Resource workload = Manifests.one(resources, client.kind(), client.name());
        JsonNode container = container(workload.body(), client);
        CommandLine command = CommandLine.of(client.kind().equals("FlinkDeployment")
                ? workload.body().at("/spec/job/args") : container.path("args"));
        Resource kafka = Manifests.ofKind(resources, "Kafka").getFirst();
        String what = target + " " + client.name();
        assertThat(command.option("--kafka")).as(what + " --kafka")
                .isEqualTo(kafka.name() + "-kafka-bootstrap:" + tlsListenerPort(kafka));
        String configFile = command.option("--kafka-config");
        assertThat(configFile).as(what + " --kafka-config").isNotNull();

        JsonNode volume = PodSpecs.volumeHolding(workload, container, configFile);
        String mount = mountPathOf(container, volume.path("name").asText());
        Map<String, String> projected = projectedFiles(volume);
        String inside = PodSpecs.insideMount(container, configFile);
        assertThat(projected).as(what + ": " + configFile + " is projected from a ConfigMap").containsKey(inside);
        String[] source = projected.get(inside).split(":", 3);
        assertThat(source[0]).isEqualTo("configMap");
        Resource configMap = Manifests.one(resources, "ConfigMap", source[1]);
        String text = configMap.body().path("data").path(source[2]).asText();
        assertThat(text).as(what + " " + configMap).isNotEmpty();

        // the component's own check, run where exactly the files this pod mounts exist
        Map<String, String> settings = properties(text);
        Path fakeRoot = root.resolve(client.name() + "-" + target.replace('/', '-'));
        projected.keySet().forEach(file -> touch(fakeRoot.resolve(mount.substring(1)).resolve(file)));
        Map<String, String> rooted = new TreeMap<>();
        settings.forEach((key, value) -> rooted.put(key, reroot(value, fakeRoot)));
        try {
            KafkaClientSecurity security = KafkaClientSecurity.of(rooted, Path.of(configFile));
            assertThat(security.protocol()).as(what).isEqualTo("SSL");
        } catch (IllegalArgumentException e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }

        // which secret each named file comes from: the keystore and its password from the component's KafkaUser,
        // the trust store from the cluster CA
        Map<String, String> expected = Map.of(
                "ssl.keystore.location", "secret:" + client.user() + ":user.p12",
                "ssl.truststore.location", "secret:" + kafka.name() + "-cluster-ca-cert:ca.crt");
        expected.forEach((key, origin) -> {
            String file = settings.get(key);
            assertThat(file).as(what + " " + key).startsWith(mount + "/");
            assertThat(projected.get(file.substring(mount.length() + 1))).as(what + " " + key + " comes from " + origin)
                    .isEqualTo(origin);
        });
        Matcher password = DIR_REFERENCE.matcher(settings.getOrDefault("ssl.keystore.password", ""));
        assertThat(password.matches()).as(what + " keystore password read from a file").isTrue();
        assertThat(password.group(2)).isEqualTo(mount);
        assertThat(projected.get(password.group(3))).as(what + " user.password from " + client.user())
                .isEqualTo("secret:" + client.user() + ":user.password");
    }

    private static void assertKafkaIsMutualTlsOnly(Resource kafka) {
        JsonNode listeners = kafka.body().at("/spec/kafka/listeners");
        assertThat(listeners.size()).as("listeners of " + kafka).isPositive();
        for (JsonNode listener : listeners) {
            assertThat(listener.path("tls").asBoolean()).as(listener + " uses TLS").isTrue();
            assertThat(listener.at("/authentication/type").asText()).as(listener + " requires client certificates").isEqualTo("tls");
            assertThat(listener.at("/networkPolicyPeers/0/podSelector/matchLabels/app.kubernetes.io~1part-of").asText())
                    .as(listener + " admits Ringfence pods only").isEqualTo("ringfence");
        }
        assertThat(kafka.body().at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
        assertThat(kafka.body().at("/spec/kafka/authorization/superUsers").isMissingNode())
                .as("no super user: every component has only its ACLs").isTrue();
    }

    private static String tlsListenerPort(Resource kafka) {
        for (JsonNode listener : kafka.body().at("/spec/kafka/listeners")) {
            if (listener.path("tls").asBoolean() && listener.at("/authentication/type").asText().equals("tls")) {
                return listener.path("port").asText();
            }
        }
        throw new AssertionError("no mTLS listener in " + kafka);
    }

    /** path inside the volume -> "configMap:NAME:KEY" or "secret:NAME:KEY". */
    private static Map<String, String> projectedFiles(JsonNode volume) {
        Map<String, String> files = new HashMap<>();
        for (JsonNode source : volume.at("/projected/sources")) {
            for (String kind : List.of("configMap", "secret")) {
                JsonNode of = source.path(kind);
                of.path("items").forEach(item -> files.put(item.path("path").asText(),
                        kind + ":" + of.path("name").asText() + ":" + item.path("key").asText()));
            }
        }
        assertThat(files).as("projected files of volume " + volume.path("name").asText()).isNotEmpty();
        return files;
    }

    private static String mountPathOf(JsonNode container, String volumeName) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(volumeName)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("volume " + volumeName + " is not mounted");
    }

    /** Absolute paths in a setting (a file, or a config provider's directory) moved under {@code fakeRoot}. */
    private static String reroot(String value, Path fakeRoot) {
        Matcher reference = DIR_REFERENCE.matcher(value);
        if (reference.matches()) {
            return "${" + reference.group(1) + ":" + fakeRoot.resolve(reference.group(2).substring(1)) + ":" + reference.group(3) + "}";
        }
        return value.startsWith("/") ? fakeRoot.resolve(value.substring(1)).toString() : value;
    }

    private static Map<String, String> properties(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key).trim()));
        return map;
    }

    private static void touch(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode podSpec(JsonNode body) {
        return body.has("spec") && body.path("spec").has("podTemplate") ? body.at("/spec/podTemplate/spec") : body.at("/spec/template/spec");
    }

    private static JsonNode container(JsonNode body, Client client) {
        for (JsonNode container : podSpec(body).path("containers")) {
            if (container.path("name").asText().equals(client.container())) {
                return container;
            }
        }
        throw new AssertionError("no container " + client.container() + " in " + client.name());
    }

    private static JsonNode volume(JsonNode body, String name) {
        for (JsonNode volume : podSpec(body).path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static List<Resource> replace(List<Resource> resources, Client client, java.util.function.Consumer<ObjectNode> change) {
        return resources.stream().map(resource -> resource.kind().equals(client.kind()) && resource.name().equals(client.name())
                ? new Mutation("broken " + client.name(), change).applyTo(resource) : resource).toList();
    }
}
