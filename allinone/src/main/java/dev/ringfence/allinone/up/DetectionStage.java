package dev.ringfence.allinone.up;

import dev.ringfence.jobs.RemoteJob;
import dev.ringfence.jobs.RingfenceJob;
import dev.ringfence.jobs.RunningJob;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.respond.PolicyScope;
import dev.ringfence.jobs.respond.ResponsePolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Flink detection job: on a private in-process MiniCluster, with checkpoints in the state directory, or with
 * {@code --flink} submitted to an existing cluster (checkpoints where that cluster or the job config puts them).
 */
final class DetectionStage {
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(90);

    private DetectionStage() {}

    static RunningJob start(String bootstrap, UpOptions options, Path workDir) throws Exception {
        RunningJob job = RingfenceJob.start(config(bootstrap, options), workDir);
        try {
            return job.awaitRunning(RUNNING_TIMEOUT);
        } catch (Exception | Error e) {
            job.close();
            throw e;
        }
    }

    /** Submits the job to the cluster of {@code --flink}; returns once it runs there. */
    static RemoteJob submit(String bootstrap, UpOptions options) throws Exception {
        RemoteJob job = RemoteJob.submit(config(bootstrap, options), options.flinkHost(), options.flinkPort(), JobJars.locate());
        try {
            return job.awaitRunning(RUNNING_TIMEOUT);
        } catch (Exception | Error e) {
            job.close();
            throw e;
        }
    }

    private static JobConfig config(String bootstrap, UpOptions options) {
        JobConfig config = options.jobConfig() == null ? JobConfig.defaults(bootstrap) : JobConfig.read(options.jobConfig());
        config.kafka.bootstrapServers = bootstrap; // the broker up runs or was pointed at, whatever the file says
        config.policy = policy(options);
        return config;
    }

    /** What {@code up} says about the policy in force. */
    static String describePolicy(UpOptions options) {
        if (options.policyFile() != null) {
            return "policy " + options.policyFile();
        }
        return options.enforce() ? "built-in policy, enforce: decisions are real"
                : "built-in policy, observe: every decision is a dry run (--enforce makes them real)";
    }

    static ResponsePolicy policy(UpOptions options) {
        if (options.policyFile() != null) {
            return ResponsePolicy.read(options.policyFile());
        }
        // the built-in policy proposes each rule's natural action; --enforce only flips its mode
        ResponsePolicy policy = ResponsePolicy.observeOnly();
        if (options.enforce()) {
            policy.metadata.name = "enforce-natural-actions";
            policy.spec.defaults.mode = PolicyScope.Mode.ENFORCE;
            policy.validate("built-in enforce policy");
        }
        return policy;
    }
}
