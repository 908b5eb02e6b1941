package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.k8s.render.Resource;
import dev.ringfence.k8s.source.ComponentSources;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Kafka as the code needs it: a KafkaTopic per contract topic, set as the contract says; ACLs per component. */
class TopicsMatchContractTest {
    private static final List<Resource> TOPICS = Manifests.ofKind(Manifests.base(), "KafkaTopic");

    @Test
    void everyContractTopicHasAKafkaTopicAndNothingElseDoes() {
        assertThat(TOPICS).extracting(Resource::name)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Topic.values()).map(Topic::topicName).toList());
    }

    @Test
    void partitionsCleanupAndRetentionAreTheContracts() {
        for (Topic topic : Topic.values()) {
            JsonNode spec = Manifests.one(Manifests.base(), "KafkaTopic", topic.topicName()).body().path("spec");
            assertThat(spec.path("partitions").asInt()).as(topic + " partitions").isEqualTo(topic.partitions());
            assertThat(spec.path("config").path("cleanup.policy").asText()).as(topic + " cleanup")
                    .isEqualTo(topic.cleanup() == Topic.Cleanup.COMPACT ? "compact" : "delete");
            assertThat(spec.path("config").path("retention.ms").asLong()).as(topic + " retention")
                    .isEqualTo(topic.retention().toMillis());
            assertThat(spec.path("replicas").asInt()).as(topic + " replicas").isGreaterThanOrEqualTo(3);
            assertThat(spec.path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
        }
    }

    @Test
    void eachKafkaUserIsGrantedExactlyTheTopicsItsModuleNames() {
        Map<String, String> userOfModule = Map.of(
                "sensor", "ringfence-sensor",
                "jobs", "ringfence-jobs",
                "enforcement-feedback/service", "ringfence-feedback",
                "sinks", "ringfence-sinks");
        userOfModule.forEach((module, user) -> {
            Set<String> used = ComponentSources.topicsUsedBy(module).stream()
                    .filter(constant -> Arrays.stream(Topic.values()).anyMatch(topic -> topic.name().equals(constant)))
                    .map(constant -> Topic.valueOf(constant).topicName())
                    .collect(Collectors.toSet());
            assertThat(used).as(module + " names at least one topic").isNotEmpty();
            // exactly: every topic the code uses is granted, and nothing it does not use
            assertThat(aclTopics(user)).as(user + " ACLs are what " + module + " uses").isEqualTo(used);
        });
    }

    @Test
    void groupAndTransactionAclsNameWhatTheCodeUses() {
        Map<String, String> moduleOfUser = Map.of("ringfence-jobs", "jobs",
                "ringfence-feedback", "enforcement-feedback/service", "ringfence-sinks", "sinks");
        moduleOfUser.forEach((user, module) -> {
            Set<String> literals = ComponentSources.stringLiteralsOf(module);
            List<JsonNode> named = new java.util.ArrayList<>();
            Manifests.one(Manifests.base(), "KafkaUser", user).body().at("/spec/authorization/acls").forEach(acl -> {
                if (!acl.at("/resource/type").asText().equals("topic")) {
                    named.add(acl.at("/resource/name"));
                }
            });
            assertThat(named).as(user + " has a consumer group ACL").isNotEmpty();
            named.forEach(name -> assertThat(literals).as(user + " ACL on " + name + " is a name " + module + " uses")
                    .contains(name.asText()));
        });
        assertThat(ComponentSources.stringLiteralsOf("sinks")).doesNotContain("ringfence-jobs");
    }

    @Test
    void theAclCheckWouldNoticeAMissingTopic() {
        assertThat(aclTopics("ringfence-sensor")).doesNotContain(Topic.DECISIONS.topicName());
    }

    @Test
    void autoCreationIsOffSoOnlyTheseTopicsExist() {
        Resource kafka = Manifests.one(Manifests.base(), "Kafka", "ringfence");
        assertThat(kafka.body().at("/spec/kafka/config/auto.create.topics.enable").asBoolean(true)).isFalse();
    }

    private static Set<String> aclTopics(String user) {
        Set<String> topics = new HashSet<>();
        for (JsonNode acl : Manifests.one(Manifests.base(), "KafkaUser", user).body().at("/spec/authorization/acls")) {
            if (acl.at("/resource/type").asText().equals("topic")) {
                topics.add(acl.at("/resource/name").asText());
            }
        }
        return topics;
    }
}
