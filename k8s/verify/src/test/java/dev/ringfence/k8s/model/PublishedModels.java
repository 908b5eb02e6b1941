package dev.ringfence.k8s.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.k8s.render.Resource;
import java.util.Map;
import java.util.Optional;

/**
 * The published Java model of every Kubernetes and operator kind k8s/ uses (fabric8 kubernetes-model and
 * certmanager-model, Strimzi's api, the Flink Kubernetes Operator's api), read strictly: an unknown key, a
 * wrong type or an unknown enum value is an error, as it would be for the API server's strict validation.
 */
public final class PublishedModels {
    private static final ObjectMapper STRICT = StrictMapper.create();
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
            Map.entry("apps/v1/DaemonSet", io.fabric8.kubernetes.api.model.apps.DaemonSet.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("batch/v1/Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("scheduling.k8s.io/v1/PriorityClass", io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", io.fabric8.kubernetes.api.model.rbac.ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", io.fabric8.kubernetes.api.model.rbac.Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
            Map.entry("apiextensions.k8s.io/v1/CustomResourceDefinition",
                    io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class),
            Map.entry("cert-manager.io/v1/Issuer", io.fabric8.certmanager.api.model.v1.Issuer.class),
            Map.entry("cert-manager.io/v1/Certificate", io.fabric8.certmanager.api.model.v1.Certificate.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class),
            Map.entry("flink.apache.org/v1beta1/FlinkDeployment", org.apache.flink.kubernetes.operator.api.FlinkDeployment.class));

    private PublishedModels() {}

    public static boolean covers(Resource resource) {
        return MODELS.containsKey(key(resource));
    }

    /** Empty when the object reads cleanly into its model, else the first problem. */
    public static Optional<String> problem(Resource resource) {
        Class<?> model = MODELS.get(key(resource));
        if (model == null) {
            return Optional.of("no published model for " + key(resource));
        }
        try {
            JsonNode input = FlinkVersions.comparable(resource);
            Object read = STRICT.treeToValue(input, model);
            return RoundTrip.lost(input, read);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.of(e.getMessage().lines().findFirst().orElse(e.toString()));
        }
    }

    private static String key(Resource resource) {
        return resource.apiVersion() + "/" + resource.kind();
    }
}
