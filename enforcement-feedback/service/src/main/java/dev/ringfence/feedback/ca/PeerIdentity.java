package dev.ringfence.feedback.ca;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Who is on the other end of a verified TLS connection: a role and a name, from the certificate's SAN URI. */
public record PeerIdentity(Role role, String name) {
    private static final int SAN_URI = 6;

    /** The identity a Ringfence CA wrote into this certificate, if exactly one. */
    public static Optional<PeerIdentity> of(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        List<PeerIdentity> found = names.stream()
                .filter(entry -> entry.size() == 2 && Integer.valueOf(SAN_URI).equals(entry.get(0)))
                .map(entry -> Role.parse(String.valueOf(entry.get(1))))
                .flatMap(Optional::stream)
                .toList();
        // a certificate naming two identities is ambiguous: trust neither
        return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
    }

    @Override
    public String toString() {
        return role.uri(name);
    }
}
