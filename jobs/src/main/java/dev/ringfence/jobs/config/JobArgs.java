package dev.ringfence.jobs.config;

import dev.ringfence.jobs.respond.ResponsePolicy;
import java.nio.file.Path;

/** The command line: {@code --kafka HOST:PORT [--config FILE] [--policy FILE] [--parallelism N] [--checkpoint-dir DIR]}. */
public final class JobArgs {
    public static final String USAGE = "usage: RingfenceJob --kafka HOST:PORT [--config FILE] [--policy FILE]"
            + " [--parallelism N] [--checkpoint-dir DIR]";

    private JobArgs() {}

    public static JobConfig parse(String... args) {
        String kafka = null;
        String configFile = null;
        String policyFile = null;
        String parallelism = null;
        String checkpointDir = null;
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
                default -> throw new InvalidConfigException("unknown option '" + flag + "'; " + USAGE);
            }
        }
        if (kafka == null) {
            throw new InvalidConfigException("--kafka is required; " + USAGE);
        }
        JobConfig config = configFile == null ? new JobConfig() : JobConfig.read(Path.of(configFile));
        config.kafka.bootstrapServers = kafka;
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
            config.pipeline.checkpointDir = Path.of(checkpointDir).toAbsolutePath().toUri().toString();
        }
        return config.validate();
    }
}
