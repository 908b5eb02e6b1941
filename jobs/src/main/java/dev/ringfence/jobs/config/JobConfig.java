package dev.ringfence.jobs.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ringfence.jobs.respond.ResponsePolicy;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Everything the job needs: read from a JSON or YAML file (every key optional, defaults below) and completed from
 * the command line or by the all-in-one. The response policy comes from its own file.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Flink job name, and the issuer of the decisions. */
    public String jobName = "ringfence-jobs";
    public KafkaSettings kafka = new KafkaSettings();
    public PipelineSettings pipeline = new PipelineSettings();
    public LineageSettings lineage = new LineageSettings();
    public DetectorSettings detectors = new DetectorSettings();

    @JsonIgnore
    public ResponsePolicy policy = ResponsePolicy.observeOnly();

    public static JobConfig read(Path file) {
        return ConfigFiles.read(file, JobConfig.class);
    }

    public static JobConfig defaults(String bootstrapServers) {
        JobConfig config = new JobConfig();
        config.kafka.bootstrapServers = bootstrapServers;
        return config;
    }

    public JobConfig validate() {
        Check.notBlank("jobName", jobName);
        Check.present("kafka", kafka);
        Check.present("pipeline", pipeline);
        Check.present("lineage", lineage);
        Check.present("detectors", detectors);
        Check.present("policy", policy);
        kafka.validate();
        pipeline.validate();
        lineage.validate();
        detectors.validate();
        return this;
    }
}
