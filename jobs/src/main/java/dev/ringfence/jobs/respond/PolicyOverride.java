package dev.ringfence.jobs.respond;

import dev.ringfence.jobs.config.Check;
import dev.ringfence.jobs.config.InvalidConfigException;
import java.io.Serializable;

/** A scope for one namespace or one workload; without responses it inherits the defaults' responses. */
public final class PolicyOverride extends PolicyScope {
    private static final long serialVersionUID = 1L;

    public String name;
    public Match match;

    @Override
    void validate(String where) {
        Check.notBlank(where + ".name", name);
        Check.present(where + ".match", match);
        boolean byNamespace = match.namespace != null;
        boolean byWorkload = match.workloadKey != null;
        if (byNamespace == byWorkload) {
            throw new InvalidConfigException(where + ".match must set exactly one of namespace, workloadKey");
        }
        Check.notBlank(where + ".match." + (byNamespace ? "namespace" : "workloadKey"),
                byNamespace ? match.namespace : match.workloadKey);
        super.validate(where);
    }

    PolicyScope inheriting(PolicyScope defaults) {
        PolicyScope scope = new PolicyScope();
        scope.mode = mode;
        scope.responses = responses != null ? responses : defaults.responses;
        return scope;
    }

    public static final class Match implements Serializable {
        private static final long serialVersionUID = 1L;
        public String namespace;
        /** "<namespace>/<kind>/<name>" as in WorkloadIdentity.workload_key. */
        public String workloadKey;
    }
}
