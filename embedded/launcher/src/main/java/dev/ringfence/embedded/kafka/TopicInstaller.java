package dev.ringfence.embedded.kafka;

import dev.ringfence.contract.kafka.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates every contract topic that does not exist yet, with its cleanup policy and retention. */
public final class TopicInstaller {
    private TopicInstaller() {}

    /** Returns the names of the topics it created; existing topics are left as they are. */
    public static List<String> ensureTopics(Admin admin, int maxPartitions) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            if (!existing.contains(topic.topicName())) {
                int partitions = Math.min(topic.partitions(), maxPartitions);
                missing.add(new NewTopic(topic.topicName(), partitions, (short) 1).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanup() == Topic.Cleanup.COMPACT
                                ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().toMillis()))));
            }
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
        }
        return missing.stream().map(NewTopic::name).toList();
    }
}
