package dev.ringfence.jobs.config;

import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.jobs.respond.ResponsePolicy;
import java.nio.file.Path;

/**
 * The command line: {@code --kafka HOST:PORT [--kafka-config FILE] [--config FILE] [--policy FILE] [--parallelism N]
 * [--checkpoint-dir DIR|URI]}.
 */
public final class JobArgs {
    public static final String USAGE = "usage: RingfenceJob --kafka HOST:PORT [--kafka-config FILE] [--config FILE] [--policy FILE]"
            + " [--parallelism N] [--checkpoint-dir DIR|URI]";

    private JobArgs() {}

    public static JobConfig parse(String... args) {
        String kafka = null;
        String configFile = null;
        String policyFile = null;
        String parallelism = null;
        String checkpointDir = null;
        String kafkaConfig = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new InvalidConfigException(flag + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (flag) {
                case "--kafka" -> kafka = value;
                case "--config" -> configFile = value;
                case "--policy" -> policyFile = value;
                case "--parallelism" -> parallelism = value;
                case "--checkpoint-dir" -> checkpointDir = value;
                case "--kafka-config" -> kafkaConfig = value;
                default -> throw new InvalidConfigException("unknown option '" + flag + "'; " + USAGE);
            }
        }
        if (kafka == null) {
            throw new InvalidConfigException("--kafka is required; " + USAGE);
        }
        JobConfig config = configFile == null ? new JobConfig() : JobConfig.read(Path.of(configFile));
        config.kafka.bootstrapServers = kafka;
        if (kafkaConfig != null) {
            try {
                config.kafka.useSecurity(KafkaClientSecurity.load(Path.of(kafkaConfig)).settings());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("--kafka-config: " + e.getMessage());
            }
        }
        if (policyFile != null) {
            config.policy = ResponsePolicy.read(Path.of(policyFile));
        }
        if (parallelism != null) {
            try {
                config.pipeline.parallelism = Integer.parseInt(parallelism);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("--parallelism must be a whole number, got '" + parallelism + "'");
            }
        }
        if (checkpointDir != null) {
            // a local directory or a file system URI (s3://bucket/checkpoints, file:///var/checkpoints)
            config.pipeline.checkpointDir = PipelineSettings.checkpointUri("--checkpoint-dir", checkpointDir, true);
        }
        return config.validate();
    }
}
