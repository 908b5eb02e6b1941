package dev.ringfence.feedback.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys that may sign decisions: every issuer certificate in the CA directory that this
 * CA signed and that is still valid, keyed by the issuer name (a decision's signing_key_id).
 */
public final class TrustedIssuers {
    private static final Logger LOG = LoggerFactory.getLogger(TrustedIssuers.class);

    private final Map<String, PublicKey> keys;

    private TrustedIssuers(Map<String, PublicKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    public static TrustedIssuers load(Path caDir) {
        X509Certificate ca = PemFiles.readCertificate(caDir.resolve(CertificateAuthority.CA_CERTIFICATE));
        Map<String, PublicKey> keys = new HashMap<>();
        Path folder = caDir.resolve(Role.ISSUER.folder());
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(file -> file.getFileName().toString().endsWith(".crt")).sorted().forEach(file -> {
                    X509Certificate certificate = PemFiles.readCertificate(file);
                    Optional<PeerIdentity> identity = PeerIdentity.of(certificate);
                    if (identity.isPresent() && identity.get().role() == Role.ISSUER
                            && CertificateAuthority.signedBy(certificate, ca.getPublicKey())) {
                        keys.put(identity.get().name(), certificate.getPublicKey());
                    } else {
                        LOG.warn("event=issuer_certificate_ignored file={} reason=\"not a valid issuer certificate of this CA\"", file);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + folder, e);
            }
        }
        return new TrustedIssuers(keys);
    }

    public Optional<PublicKey> keyOf(String issuer) {
        return Optional.ofNullable(issuer).map(keys::get);
    }

    public int size() {
        return keys.size();
    }
}
