package dev.ringfence.feedback.rails;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The service's rails, checked before a decision goes anywhere: protected targets first, then the
 * rate limits (a refused decision spends no token). Releases always pass: lifting enforcement is
 * the safe direction. Dry-run decisions pass through the same rails, so a dry run shows what
 * would really have been refused. Not thread-safe: used from the decision loop only.
 */
public final class SafetyRails {
    private final ProtectedSet protectedSet;
    private final RateLimits rateLimits;

    public SafetyRails(RailsConfig config, LongSupplier nanoTime) {
        this.protectedSet = config.protectedSet();
        this.rateLimits = new RateLimits(config.perWorkloadPerMinute(), config.globalPerMinute(), nanoTime);
    }

    /** Why the decision must not go out, or empty. */
    public Optional<String> refusal(Decision decision) {
        if (decision.getAction() == DecisionAction.RELEASE) {
            return Optional.empty();
        }
        Optional<String> protectedTarget = protectedSet.protects(decision);
        if (protectedTarget.isPresent()) {
            return Optional.of("protected: " + protectedTarget.get());
        }
        return Optional.ofNullable(rateLimits.tryAcquire(rateKey(decision.getTarget())));
    }

    /** Kills name an exec, not a workload: they share the node's bucket so a kill storm is limited too. */
    private static String rateKey(DecisionTarget target) {
        return target.getWorkload() != null ? target.getWorkload().getWorkloadKey() : "node/" + target.getNode();
    }
}
