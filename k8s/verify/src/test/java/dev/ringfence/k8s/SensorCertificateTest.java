package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.k8s.render.Resource;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sensor dials the feedback service with its own certificate: the feedback.* keys the sensor reads are set,
 * name the files the per-pod csi-driver volume writes, and the address is the feedback Service's gRPC port; the
 * csi-driver attributes use only variables the driver expands (any other fails the mount: no sensor on the node).
 */
class SensorCertificateTest {
    /** What cert-manager csi-driver expands in attribute values (pkg/requestgen expand(): POD_NAME ... SERVICE_ACCOUNT_NAME). */
    static final Set<String> CSI_DRIVER_VARIABLES = Set.of("POD_NAME", "POD_NAMESPACE", "POD_UID", "SERVICE_ACCOUNT_NAME");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    @Test
    void theSensorIsGivenEveryFeedbackSettingFromItsPodCertificate() {
        for (String target : Manifests.TARGETS) {
            List<Resource> resources = Manifests.rendered(target);
            Resource sensor = Manifests.one(resources, "DaemonSet", "ringfence-sensor");
            assertFeedbackWiring(resources, sensor, sensorProperties(resources, sensor));
        }
    }

    @Test
    void theFeedbackServiceResolvesTheCertificatesOfThisDaemonSetsPods() {
        // the role path the feedback service reads (Role.SENSOR_POD), from its source
        String role = dev.ringfence.k8s.source.Repo.read("enforcement-feedback/service/src/main/java/dev/ringfence/feedback/ca/Role.java");
        Matcher path = Pattern.compile("SENSOR_POD\\(\"([a-z-]+)\"\\)").matcher(role);
        assertThat(path.find()).as("Role.SENSOR_POD in the feedback service").isTrue();
        for (String target : Manifests.TARGETS) {
            List<Resource> resources = Manifests.rendered(target);
            Resource sensor = Manifests.one(resources, "DaemonSet", "ringfence-sensor");
            JsonNode attributes = PodSpecs.volumeHolding(sensor, PodSpecs.container(sensor, "sensor"),
                    sensorProperties(resources, sensor).getProperty("feedback.cert")).at("/csi/volumeAttributes");
            assertThat(attributes.path("csi.cert-manager.io/uri-sans").asText()).as(target)
                    .isEqualTo("ringfence://" + path.group(1) + "/${POD_NAMESPACE}/${POD_NAME}/${POD_UID}");
            Resource feedback = Manifests.one(resources, "Deployment", "ringfence-feedback");
            CommandLine command = CommandLine.of(PodSpecs.container(feedback, "feedback").path("args"));
            assertThat(command.option("--sensor-daemonset")).as(target)
                    .isEqualTo(sensor.body().at("/metadata/namespace").asText() + "/" + sensor.name());
            assertThat(PodSpecs.podSpec(feedback).path("automountServiceAccountToken").asBoolean(false))
                    .as("the feedback service reads pods with its token").isTrue();
        }
    }

    @Test
    void csiDriverAttributesUseOnlyVariablesTheDriverExpands() {
        for (String target : Manifests.TARGETS) {
            for (Resource resource : Manifests.rendered(target)) {
                if (List.of("DaemonSet", "Deployment", "Job", "FlinkDeployment").contains(resource.kind())) {
                    for (JsonNode volume : PodSpecs.podSpec(resource).path("volumes")) {
                        if (volume.at("/csi/driver").asText().equals("csi.cert-manager.io")) {
                            assertKnownVariables(resource, volume);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theChecksWouldNoticeAnUnknownVariableOrAFeedbackKeyLeftOut() {
        Resource sensor = Manifests.one(Manifests.base(), "DaemonSet", "ringfence-sensor");
        Resource nodeName = Mutation.set("/spec/template/spec/volumes/1/csi/volumeAttributes/csi.cert-manager.io~1uri-sans",
                "ringfence://node/${NODE_NAME}").applyTo(sensor);
        JsonNode volume = PodSpecs.podSpec(nodeName).path("volumes").get(1);
        assertThat(volume.path("name").asText()).isEqualTo("node-certificate");
        assertThatThrownBy(() -> assertKnownVariables(nodeName, volume)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("NODE_NAME");
        Properties without = sensorProperties(Manifests.base(), sensor);
        without.remove("feedback.ca");
        assertThatThrownBy(() -> assertFeedbackWiring(Manifests.base(), sensor, without)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("feedback.ca");
        Properties elsewhere = sensorProperties(Manifests.base(), sensor);
        elsewhere.setProperty("feedback.key", "/etc/ringfence/tls/key.pem");
        assertThatThrownBy(() -> assertFeedbackWiring(Manifests.base(), sensor, elsewhere)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("feedback.key");
    }

    private static void assertFeedbackWiring(List<Resource> resources, Resource sensor, Properties properties) {
        JsonNode container = PodSpecs.container(sensor, "sensor");
        for (String key : List.of("feedback.address", "feedback.cert", "feedback.key", "feedback.ca")) {
            assertThat(properties.getProperty(key)).as(key + " is set in the sensor's config").isNotBlank();
        }
        // address: the feedback Service, on the port that targets the service's gRPC port
        Resource service = Manifests.one(resources, "Service", "ringfence-feedback");
        String grpcPort = "";
        for (JsonNode port : service.body().at("/spec/ports")) {
            if (port.path("name").asText().equals("grpc")) {
                grpcPort = port.path("port").asText();
            }
        }
        assertThat(properties.getProperty("feedback.address")).isEqualTo(service.name() + ":" + grpcPort);
        // the files are those the csi-driver writes in the volume that holds them
        List<String[]> files = List.of(
                new String[] {"feedback.cert", "csi.cert-manager.io/certificate-file"},
                new String[] {"feedback.key", "csi.cert-manager.io/privatekey-file"},
                new String[] {"feedback.ca", "csi.cert-manager.io/ca-file"});
        for (String[] file : files) {
            String path = properties.getProperty(file[0]);
            JsonNode volume = PodSpecs.volumeHolding(sensor, container, path);
            assertThat(volume.at("/csi/driver").asText()).as(file[0] + " is on the csi-driver volume").isEqualTo("csi.cert-manager.io");
            assertThat(volume.at("/csi/volumeAttributes").path(file[1]).asText()).as(file[0] + " is the file " + file[1] + " names")
                    .isEqualTo(PodSpecs.insideMount(container, path));
        }
        JsonNode attributes = PodSpecs.volumeHolding(sensor, container, properties.getProperty("feedback.cert")).at("/csi/volumeAttributes");
        assertThat(attributes.path("csi.cert-manager.io/issuer-name").asText()).isEqualTo("ringfence-ca");
        assertThat(attributes.path("csi.cert-manager.io/key-usages").asText()).contains("client auth");
        // one identity per pod: the URI carries the pod's namespace, name and uid
        assertThat(attributes.path("csi.cert-manager.io/uri-sans").asText()).contains("${POD_NAMESPACE}", "${POD_NAME}", "${POD_UID}");
    }

    private static void assertKnownVariables(Resource resource, JsonNode volume) {
        List<String> unknown = new ArrayList<>();
        volume.at("/csi/volumeAttributes").fields().forEachRemaining(attribute -> {
            Matcher matcher = VARIABLE.matcher(attribute.getValue().asText());
            while (matcher.find()) {
                String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
                if (!CSI_DRIVER_VARIABLES.contains(name)) {
                    unknown.add(attribute.getKey() + ": " + name);
                }
            }
        });
        assertThat(unknown).as(resource + " volume " + volume.path("name").asText()
                + ": variables csi-driver does not expand (the mount would fail)").isEmpty();
    }

    private static Properties sensorProperties(List<Resource> resources, Resource sensor) {
        JsonNode container = PodSpecs.container(sensor, "sensor");
        CommandLine command = CommandLine.of(container.path("args"));
        String file = command.option("--config");
        JsonNode volume = PodSpecs.volumeHolding(sensor, container, file);
        Resource configMap = Manifests.one(resources, "ConfigMap", volume.at("/configMap/name").asText());
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(configMap.body().path("data").path(PodSpecs.insideMount(container, file)).asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
