package dev.ringfence.jobs.respond;

import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.jobs.config.Check;
import dev.ringfence.jobs.config.InvalidConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Defaults for every workload, and overrides by namespace or workload key (the most specific wins). */
public final class PolicySpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A decision not applied within this time after it was issued must not be applied any more. */
    public long decisionValiditySeconds = 30;
    public PolicyScope defaults;
    public List<PolicyOverride> overrides = new ArrayList<>();

    static PolicySpec observeOnly() {
        PolicySpec spec = new PolicySpec();
        spec.defaults = PolicyScope.observeNaturalActions();
        return spec;
    }

    void validate() {
        Check.positive("spec.decisionValiditySeconds", decisionValiditySeconds);
        Check.present("spec.defaults", defaults);
        defaults.validate("spec.defaults");
        if (defaults.responses == null) {
            throw new InvalidConfigException("spec.defaults.responses must be set (an empty list means no response)");
        }
        Check.present("spec.overrides", overrides);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < overrides.size(); i++) {
            PolicyOverride override = overrides.get(i);
            String where = "spec.overrides[" + i + "]";
            Check.present(where, override);
            override.validate(where);
            if (!names.add(override.name)) {
                throw new InvalidConfigException(where + ".name '" + override.name + "' is used twice");
            }
        }
    }

    /** The scope that governs a workload: workload key match, else namespace match, else the defaults. */
    public PolicyScope scopeFor(WorkloadIdentity workload) {
        PolicyOverride byNamespace = null;
        for (PolicyOverride override : overrides) {
            if (override.match.workloadKey != null) {
                if (override.match.workloadKey.equals(workload.getWorkloadKey())) {
                    return override.inheriting(defaults);
                }
            } else if (byNamespace == null && override.match.namespace.equals(workload.getNamespace())) {
                byNamespace = override;
            }
        }
        return byNamespace == null ? defaults : byNamespace.inheriting(defaults);
    }

    static DecisionAction requireActionable(String key, DecisionAction action) {
        Check.present(key, action);
        if (action != DecisionAction.KILL_PROCESS && action != DecisionAction.BLOCK_CONNECTION
                && action != DecisionAction.ISOLATE_WORKLOAD) {
            throw new InvalidConfigException(key + " must be KILL_PROCESS, BLOCK_CONNECTION or ISOLATE_WORKLOAD, got "
                    + action);
        }
        return action;
    }
}
