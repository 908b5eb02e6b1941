package dev.ringfence.feedback.intake;

/** What the service made of a submitted decision. */
public record IntakeResult(String decisionId, Outcome outcome, String reason) {
    public enum Outcome {
        /** Queued for its node's sensor. */
        ACCEPTED,
        /** The same decision (id and content) was seen before: answered as then, nothing more happens. */
        DUPLICATE,
        /** Not sent anywhere; the reason is in the audit trail too. */
        REFUSED,
        /** A release named a decision the service does not track. */
        NOT_FOUND
    }

    static IntakeResult accepted(String id, String note) {
        return new IntakeResult(id, Outcome.ACCEPTED, note);
    }

    static IntakeResult refused(String id, String reason) {
        return new IntakeResult(id, Outcome.REFUSED, reason);
    }
}
