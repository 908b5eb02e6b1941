package dev.ringfence.jobs.respond;

import dev.ringfence.jobs.config.Check;
import dev.ringfence.jobs.config.ConfigFiles;
import dev.ringfence.jobs.config.InvalidConfigException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Which findings turn into containment, where, and how. Shaped like a Kubernetes object
 * (apiVersion/kind/metadata/spec, camelCase keys) so a CRD can carry the same document.
 */
public final class ResponsePolicy implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String API_VERSION = "ringfence.dev/v1alpha1";
    public static final String KIND = "ResponsePolicy";

    public String apiVersion;
    public String kind;
    public PolicyMetadata metadata = new PolicyMetadata();
    public PolicySpec spec;

    public static ResponsePolicy read(Path file) {
        ResponsePolicy policy = ConfigFiles.read(file, ResponsePolicy.class);
        policy.validate(file.toString());
        return policy;
    }

    public static ResponsePolicy parse(String text, boolean yaml) {
        ResponsePolicy policy = ConfigFiles.parse(text, yaml, ResponsePolicy.class, "policy");
        policy.validate("policy");
        return policy;
    }

    /** Observe everywhere: every rule proposes its natural action as a dry run. */
    public static ResponsePolicy observeOnly() {
        ResponsePolicy policy = new ResponsePolicy();
        policy.apiVersion = API_VERSION;
        policy.kind = KIND;
        policy.metadata.name = "observe-only";
        policy.spec = PolicySpec.observeOnly();
        policy.validate("built-in observe-only policy");
        return policy;
    }

    public void validate(String origin) {
        try {
            if (!API_VERSION.equals(apiVersion)) {
                throw new InvalidConfigException("apiVersion must be '" + API_VERSION + "', got '" + apiVersion + "'");
            }
            if (!KIND.equals(kind)) {
                throw new InvalidConfigException("kind must be '" + KIND + "', got '" + kind + "'");
            }
            Check.present("metadata", metadata);
            Check.notBlank("metadata.name", metadata.name);
            Check.present("spec", spec);
            spec.validate();
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(origin + ": " + e.getMessage(), e);
        }
    }

    public static final class PolicyMetadata implements Serializable {
        private static final long serialVersionUID = 1L;
        public String name;
    }
}
