package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.k8s.model.KubernetesOpenApi;
import dev.ringfence.k8s.model.PublishedModels;
import dev.ringfence.k8s.render.Resource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same objects that validate, each broken in one small way, are refused, with the culprit named. */
class BrokenManifestsRejectedTest {
    static Stream<Arguments> brokenModelObjects() {
        return Stream.of(
                broken("DaemonSet", "ringfence-sensor", Mutation.rename("/spec/template/spec/hostPID", "hostPid"), "hostPid"),
                broken("DaemonSet", "ringfence-sensor", Mutation.set("/spec/template/spec/hostPID", "\"yes\""), "Boolean"),
                broken("DaemonSet", "ringfence-sensor",
                        Mutation.rename("/spec/template/spec/containers/0/securityContext/capabilities", "capabilites"), "capabilites"),
                broken("Deployment", "ringfence-feedback", Mutation.set("/spec/replicas", "\"2\""), "Integer"),
                broken("Deployment", "ringfence-feedback", Mutation.set("/apiVersion", "apps/v1beta2"), "no published model"),
                broken("Service", "ringfence-feedback", Mutation.rename("/spec/selector", "selecter"), "selecter"),
                broken("NetworkPolicy", "ringfence-feedback", Mutation.rename("/spec/policyTypes", "policyType"), "policyType"),
                broken("ClusterRole", "ringfence-sensor", Mutation.rename("/rules/0/verbs", "verb"), "verb"),
                broken("Job", "ringfence-elastic-setup", Mutation.set("/spec/backoffLimit", "lots"), "Integer"),
                broken("CustomResourceDefinition", "responsepolicies.ringfence.dev", Mutation.rename("/spec/scope", "scoop"), "scoop"),
                broken("KafkaTopic", "ringfence.events", Mutation.rename("/spec/partitions", "partitons"), "partitons"),
                broken("KafkaTopic", "ringfence.events", Mutation.set("/spec/partitions", "twelve"), "Integer"),
                broken("Kafka", "ringfence", Mutation.set("/spec/kafka/listeners/0/type", "internl"), "internl"),
                broken("KafkaUser", "ringfence-sensor", Mutation.set("/spec/authorization/acls/0/operations/0", "Wrte"), "Wrte"),
                broken("KafkaNodePool", "dual", Mutation.set("/spec/roles/0", "controler"), "controler"),
                broken("FlinkDeployment", "ringfence-jobs", Mutation.set("/spec/job/upgradeMode", "savepont"), "savepont"),
                broken("FlinkDeployment", "ringfence-jobs", Mutation.set("/spec/flinkVersion", "v9_9"), "v9_9"),
                broken("FlinkDeployment", "ringfence-jobs", Mutation.rename("/spec/jobManager", "jobManger"), "jobManger"),
                broken("Certificate", "ringfence-feedback", Mutation.rename("/spec/secretName", "secretNme"), "secretNme"),
                broken("Issuer", "ringfence-bootstrap", Mutation.rename("/spec/selfSigned", "selfsigned"), "selfsigned"));
    }

    @ParameterizedTest(name = "{0}/{1}: {2}")
    @MethodSource("brokenModelObjects")
    void publishedModelsRefuseIt(String kind, String name, Mutation mutation, String culprit) {
        Resource valid = Manifests.one(Manifests.base(), kind, name);
        assertThat(PublishedModels.problem(valid)).as("the unbroken object").isEmpty();
        assertThat(PublishedModels.problem(mutation.applyTo(valid))).hasValueSatisfying(
                problem -> assertThat(problem).contains(culprit));
    }

    static Stream<Arguments> brokenOpenApiObjects() {
        return Stream.of(
                broken("Service", "ringfence-feedback", Mutation.set("/spec/ports/0/protocol", "TPC"), "allowed values"),
                broken("Deployment", "ringfence-feedback",
                        Mutation.set("/spec/template/spec/containers/0/imagePullPolicy", "Sometimes"), "allowed values"),
                broken("DaemonSet", "ringfence-sensor", Mutation.set("/spec/updateStrategy/type", "Rolling"), "allowed values"),
                broken("Deployment", "ringfence-feedback", Mutation.set("/spec/strategy/type", "Replace"), "allowed values"));
    }

    /** Kubernetes' validators run in node: one run for the valid objects and every broken copy. */
    private static final Map<String, String> OPEN_API_PROBLEMS = inOneRun(brokenOpenApiObjects(), KubernetesOpenApi::problems);

    @ParameterizedTest(name = "{0}/{1}: {2}")
    @MethodSource("brokenOpenApiObjects")
    void kubernetesOpenApiRefusesWhatTheJavaModelsLetThrough(String kind, String name, Mutation mutation, String culprit) {
        Resource broken = mutation.applyTo(Manifests.one(Manifests.base(), kind, name));
        assertThat(PublishedModels.problem(broken)).as("an enum value the Java model keeps as a string").isEmpty();
        assertThat(OPEN_API_PROBLEMS.get(kind + "/" + name)).as("the unbroken object").isNull();
        assertThat(OPEN_API_PROBLEMS.get(kind + "/" + name + " " + mutation)).contains(culprit);
    }

    static Stream<Arguments> brokenEckObjects() {
        return Stream.of(
                broken("Elasticsearch", "ringfence", Mutation.set("/spec/nodeSets/0/count", "three"), "must be integer"),
                broken("Elasticsearch", "ringfence", Mutation.rename("/spec/nodeSets", "nodeSet"), "nodeSet"),
                broken("Elasticsearch", "ringfence", Mutation.rename("/spec/nodeSets/0/count", "cout"), "cout"),
                broken("Elasticsearch", "ringfence",
                        Mutation.rename("/spec/nodeSets/0/podTemplate/spec/containers/0/resources", "resource"), "resource"),
                broken("Kibana", "ringfence", Mutation.remove("/spec/version"), "version"),
                broken("Kibana", "ringfence", Mutation.rename("/spec/elasticsearchRef", "elasticSearchRef"), "elasticSearchRef"));
    }

    /** ECK's validators run in node: one run for the valid objects and every broken copy. */
    private static final Map<String, List<String>> ECK_PROBLEMS = inOneRun(brokenEckObjects(), ManifestsValidateTest.ECK::problems);

    @ParameterizedTest(name = "{0}/{1}: {2}")
    @MethodSource("brokenEckObjects")
    void eckSchemaRefusesIt(String kind, String name, Mutation mutation, String culprit) {
        assertThat(ECK_PROBLEMS.get(kind + "/" + name)).as("the unbroken object").isEmpty();
        assertThat(ECK_PROBLEMS.get(kind + "/" + name + " " + mutation)).anySatisfy(problem -> assertThat(problem).contains(culprit));
    }

    /** The validator's answer for each valid object ("Kind/name") and each broken copy ("Kind/name mutation"). */
    private static <T> Map<String, T> inOneRun(Stream<Arguments> cases, Function<List<Resource>, List<T>> validator) {
        Map<String, Resource> objects = new LinkedHashMap<>();
        cases.map(Arguments::get).forEach(arguments -> {
            Resource valid = Manifests.one(Manifests.base(), (String) arguments[0], (String) arguments[1]);
            objects.put(valid.id(), valid);
            objects.put(valid.id() + " " + arguments[2], ((Mutation) arguments[2]).applyTo(valid));
        });
        List<T> answers = validator.apply(List.copyOf(objects.values()));
        Map<String, T> byKey = new HashMap<>();
        int i = 0;
        for (String key : objects.keySet()) {
            byKey.put(key, answers.get(i++));
        }
        return byKey;
    }

    static Arguments broken(String kind, String name, Mutation mutation, String culprit) {
        return Arguments.of(kind, name, mutation, culprit);
    }
}
