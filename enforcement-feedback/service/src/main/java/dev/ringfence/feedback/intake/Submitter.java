package dev.ringfence.feedback.intake;

import dev.ringfence.feedback.ca.PeerIdentity;

/**
 * Where a decision came from. {@code authenticatedIssuer} is the issuer name proven by a client
 * certificate (API calls), or null when the decision came over Kafka, where the topic's ACLs are
 * the boundary and only a signature proves the issuer.
 */
public record Submitter(String actor, String authenticatedIssuer) {
    public static Submitter api(PeerIdentity caller) {
        return new Submitter(caller.toString(), caller.name());
    }

    public static Submitter kafka(String topic, int partition, long offset) {
        return new Submitter("kafka://" + topic + "/" + partition + "@" + offset, null);
    }
}
