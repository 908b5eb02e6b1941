package dev.ringfence.jobs.respond;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.Severity;
import dev.ringfence.jobs.config.Check;
import dev.ringfence.jobs.config.InvalidConfigException;
import dev.ringfence.jobs.detect.Rule;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Mode plus the detectors that may act and how. A detector not listed never produces a decision. */
public class PolicyScope implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Mode {
        /** Decisions are emitted with dry_run = true: the sensor reports what it would have done. */
        @JsonProperty("observe") OBSERVE,
        @JsonProperty("enforce") ENFORCE
    }

    public Mode mode;
    /** Null in an override: inherit the defaults' responses. */
    public List<Response> responses;

    static PolicyScope observeNaturalActions() {
        PolicyScope scope = new PolicyScope();
        scope.mode = Mode.OBSERVE;
        scope.responses = new ArrayList<>(List.of(
                Response.of(Rule.REMOTE_EXEC, DecisionAction.KILL_PROCESS, 0),
                Response.of(Rule.UNEXPECTED_EXEC, DecisionAction.KILL_PROCESS, 0),
                Response.of(Rule.EXFILTRATION, DecisionAction.BLOCK_CONNECTION, 3_600),
                Response.of(Rule.SCAN, DecisionAction.ISOLATE_WORKLOAD, 900),
                Response.of(Rule.NEW_EDGE, DecisionAction.BLOCK_CONNECTION, 900)));
        return scope;
    }

    void validate(String where) {
        Check.present(where + ".mode", mode);
        if (responses == null) {
            return;
        }
        Set<String> detectors = new HashSet<>();
        for (int i = 0; i < responses.size(); i++) {
            Response response = responses.get(i);
            String key = where + ".responses[" + i + "]";
            Check.present(key, response);
            response.validate(key);
            if (!detectors.add(response.detector)) {
                throw new InvalidConfigException(key + ".detector '" + response.detector + "' is listed twice");
            }
        }
    }

    public Response responseTo(String ruleId) {
        for (Response response : responses) {
            if (response.detector.equals(ruleId)) {
                return response;
            }
        }
        return null;
    }

    public boolean enforcing() {
        return mode == Mode.ENFORCE;
    }

    /** What one detector's findings lead to. */
    public static final class Response implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Rule id, e.g. RF-CHAIN-001. */
        public String detector;
        public DecisionAction action;
        /** How long a block or isolation lasts; kills are instantaneous (0). */
        public long ttlSeconds;
        /** Findings below this severity are only alerted. */
        public Severity minSeverity = Severity.LOW;

        static Response of(Rule rule, DecisionAction action, long ttlSeconds) {
            Response response = new Response();
            response.detector = rule.id();
            response.action = action;
            response.ttlSeconds = ttlSeconds;
            return response;
        }

        void validate(String key) {
            Check.notBlank(key + ".detector", detector);
            try {
                Rule.byId(detector);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(key + ".detector: " + e.getMessage(), e);
            }
            PolicySpec.requireActionable(key + ".action", action);
            Check.atLeast(key + ".ttlSeconds", ttlSeconds, 0);
            if (action != DecisionAction.KILL_PROCESS && ttlSeconds == 0) {
                throw new InvalidConfigException(key + ".ttlSeconds must be > 0 for " + action);
            }
            Check.present(key + ".minSeverity", minSeverity);
        }
    }
}
