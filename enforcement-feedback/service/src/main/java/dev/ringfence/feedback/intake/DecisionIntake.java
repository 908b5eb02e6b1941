package dev.ringfence.feedback.intake;

import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.feedback.audit.AuditTrail;
import dev.ringfence.feedback.audit.EpochNanos;
import dev.ringfence.feedback.ca.TrustedIssuers;
import dev.ringfence.feedback.metrics.FeedbackMetrics;
import dev.ringfence.feedback.rails.SafetyRails;
import dev.ringfence.feedback.route.DecisionRouter;
import dev.ringfence.feedback.route.TrackedDecision;
import dev.ringfence.feedback.signing.DecisionSignatures;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The single way in for decisions, from the API and from Kafka alike: structure, replay and
 * idempotence, authenticity, expiry, then the safety rails; what passes is routed to its node.
 * Every outcome but an exact duplicate is audited. Confined to the decision loop thread.
 */
public final class DecisionIntake {
    /** How long a decision id is remembered after its expiry, to recognise late replays. */
    private static final long REMEMBER_AFTER_EXPIRY_NS = Duration.ofHours(24).toNanos();
    private static final Duration RELEASE_DELIVERY_WINDOW = Duration.ofHours(24);
    private static final ContractCodec<Decision> CODEC = ContractCodec.of(Decision.class);
    /** How the audit trail marks decisions a dry-run service recorded instead of delivering. */
    public static final String SERVICE_DRY_RUN_NOTE = "service dry-run: recorded, not delivered to node ";

    private final Map<String, Seen> seen = new HashMap<>();
    private final DecisionRouter router;
    private final SafetyRails rails;
    private final TrustedIssuers issuers;
    private final AuditTrail audit;
    private final FeedbackMetrics metrics;
    private final Clock clock;
    private final boolean serviceDryRun;
    private final boolean requireSignedFromKafka;

    public DecisionIntake(DecisionRouter router, SafetyRails rails, TrustedIssuers issuers, AuditTrail audit,
                          FeedbackMetrics metrics, Clock clock, boolean serviceDryRun, boolean requireSignedFromKafka) {
        this.router = router;
        this.rails = rails;
        this.issuers = issuers;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.serviceDryRun = serviceDryRun;
        this.requireSignedFromKafka = requireSignedFromKafka;
    }

    public IntakeResult submit(Decision decision, Submitter from) {
        if (!DecisionChecks.hasUsableId(decision)) {
            return refuse(decision, from, "decision_id '" + decision.getDecisionId()
                    + "' is not 1-200 letters, digits, '.', '_', ':' or '-'", AuditKind.DECISION_REFUSED, "refused_invalid");
        }
        byte[] fingerprint = fingerprint(decision);
        Seen earlier = seen.get(decision.getDecisionId());
        if (earlier != null) {
            if (Arrays.equals(earlier.fingerprint, fingerprint)) {
                metrics.decision(decision.getAction(), "duplicate");
                return earlier.result.outcome() == IntakeResult.Outcome.ACCEPTED
                        ? new IntakeResult(decision.getDecisionId(), IntakeResult.Outcome.DUPLICATE, "already received")
                        : earlier.result;
            }
            return refuse(decision, from, "replay: decision id " + decision.getDecisionId()
                    + " was already used for different content", AuditKind.DECISION_REFUSED, "refused_replay");
        }
        IntakeResult result = evaluate(decision, from);
        seen.put(decision.getDecisionId(), new Seen(fingerprint, result, decision.getExpiresNs()));
        return result;
    }

    /** Lifts a tracked decision: it stops being tracked and its node gets a RELEASE decision. */
    public IntakeResult release(String decisionId, String reason, Submitter from) {
        Optional<TrackedDecision> original = router.find(decisionId);
        if (original.isEmpty()) {
            audit.write(AuditTrail.entry(clock, AuditKind.RELEASE_REQUESTED, decisionId, from.actor(), null, null,
                    "refused: no active decision " + decisionId, null));
            return new IntakeResult(decisionId, IntakeResult.Outcome.NOT_FOUND, "no active decision " + decisionId);
        }
        Decision lifted = original.get().decision();
        if (lifted.getAction() == DecisionAction.RELEASE) {
            return new IntakeResult(decisionId, IntakeResult.Outcome.NOT_FOUND, decisionId + " is itself a release");
        }
        if (reason == null || reason.isBlank()) {
            reason = "released by " + from.actor();
        }
        audit.write(AuditTrail.entry(clock, AuditKind.RELEASE_REQUESTED, decisionId, from.actor(), lifted, null, reason, null));
        long now = EpochNanos.now(clock);
        Decision release = Decision.newBuilder()
                .setDecisionId("release-" + decisionId)
                .setIssuedNs(now)
                .setIssuer(from.authenticatedIssuer() == null ? from.actor() : from.authenticatedIssuer())
                .setAction(DecisionAction.RELEASE)
                .setTarget(DecisionTarget.newBuilder()
                        .setNode(lifted.getTarget().getNode())
                        .setWorkload(lifted.getTarget().getWorkload())
                        .setReleaseDecisionId(decisionId)
                        .build())
                .setReason(reason)
                .setAlertId(lifted.getAlertId())
                .setExpiresNs(now + RELEASE_DELIVERY_WINDOW.toNanos())
                .setDryRun(lifted.getDryRun())
                .build();
        return submit(release, from);
    }

    /**
     * Recovery after a restart: what the audit trail shows this service answered for a decision id
     * before, so a re-submission gets the same answer and a replay is still recognised. The first
     * answer for an id wins (a later entry for the id is a refused replay).
     */
    public void remember(Decision decision, IntakeResult.Outcome outcome, String reason) {
        if (DecisionChecks.hasUsableId(decision)) {
            seen.putIfAbsent(decision.getDecisionId(), new Seen(fingerprint(decision),
                    new IntakeResult(decision.getDecisionId(), outcome, reason), decision.getExpiresNs()));
        }
    }

    /** Forgets decision ids long past their expiry: any replay of them is refused as expired anyway. */
    public void forgetExpired() {
        long horizon = EpochNanos.now(clock) - REMEMBER_AFTER_EXPIRY_NS;
        seen.values().removeIf(entry -> entry.expiresNs < horizon);
    }

    private IntakeResult evaluate(Decision decision, Submitter from) {
        Optional<String> problem = DecisionChecks.problem(decision);
        if (problem.isPresent()) {
            return refuse(decision, from, "invalid: " + problem.get(), AuditKind.DECISION_REFUSED, "refused_invalid");
        }
        Optional<String> forged = authenticity(decision, from);
        if (forged.isPresent()) {
            return refuse(decision, from, "forged: " + forged.get(), AuditKind.DECISION_REFUSED, "refused_forged");
        }
        if (decision.getExpiresNs() <= EpochNanos.now(clock)) {
            return refuse(decision, from, "expired: expires_ns is in the past", AuditKind.DECISION_EXPIRED, "refused_expired");
        }
        Optional<String> railed = rails.refusal(decision);
        if (railed.isPresent()) {
            String kind = railed.get().startsWith("protected") ? "refused_protected" : "refused_rate_limit";
            return refuse(decision, from, railed.get(), AuditKind.DECISION_REFUSED, kind);
        }
        if (decision.getAction() == DecisionAction.RELEASE) {
            router.withdraw(decision.getTarget().getReleaseDecisionId());
        }
        byte[] bytes = CODEC.encode(decision);
        metrics.decision(decision.getAction(), "accepted");
        if (serviceDryRun) {
            String note = SERVICE_DRY_RUN_NOTE + decision.getTarget().getNode();
            audit.write(AuditTrail.entry(clock, AuditKind.DECISION_RECEIVED, decision.getDecisionId(), from.actor(), decision, null, note, null));
            router.recordDryRun(decision, bytes, from.actor());
            return IntakeResult.accepted(decision.getDecisionId(), note);
        }
        audit.write(AuditTrail.entry(clock, AuditKind.DECISION_RECEIVED, decision.getDecisionId(), from.actor(), decision, null,
                decision.getDryRun() ? "dry-run decision: the sensor records what it would do" : null, null));
        router.route(decision, bytes, from.actor());
        String node = decision.getTarget().getNode();
        return IntakeResult.accepted(decision.getDecisionId(), router.isConnected(node)
                ? "sent to node " + node : "node " + node + " is offline: delivered when its sensor reconnects");
    }

    private Optional<String> authenticity(Decision decision, Submitter from) {
        if (from.authenticatedIssuer() != null && !from.authenticatedIssuer().equals(decision.getIssuer())) {
            return Optional.of("issuer '" + decision.getIssuer() + "' is not the authenticated caller '"
                    + from.authenticatedIssuer() + "'");
        }
        if (decision.getSignature() == null) {
            return from.authenticatedIssuer() == null && requireSignedFromKafka
                    ? Optional.of("unsigned decision from Kafka, and this service requires signatures") : Optional.empty();
        }
        String keyId = decision.getSigningKeyId();
        if (keyId == null || !keyId.equals(decision.getIssuer())) {
            return Optional.of("signing_key_id '" + keyId + "' is not the issuer '" + decision.getIssuer() + "'");
        }
        Optional<PublicKey> key = issuers.keyOf(keyId);
        if (key.isEmpty()) {
            return Optional.of("signed by unknown issuer '" + keyId + "' (no valid issuer certificate of this CA)");
        }
        return DecisionSignatures.verify(decision, key.get()) ? Optional.empty()
                : Optional.of("signature does not verify with the key of issuer '" + keyId + "'");
    }

    private IntakeResult refuse(Decision decision, Submitter from, String reason, AuditKind kind, String outcome) {
        metrics.decision(decision.getAction(), outcome);
        String id = decision.getDecisionId() == null || decision.getDecisionId().isEmpty() ? "(none)" : decision.getDecisionId();
        audit.write(AuditTrail.entry(clock, kind, id, from.actor(), decision, null, reason, null));
        return IntakeResult.refused(id, reason);
    }

    private static byte[] fingerprint(Decision decision) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(DecisionSignatures.canonicalBytes(decision));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private record Seen(byte[] fingerprint, IntakeResult result, long expiresNs) {}
}
