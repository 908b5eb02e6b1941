package dev.ringfence.feedback.ca;

import dev.ringfence.feedback.tls.TlsIdentity;
import java.nio.file.Path;
import java.security.PrivateKey;

/** A certificate and its private key as PEM files, with the CA certificate that verifies peers. */
public record IssuedCertificate(PeerIdentity identity, Path certificate, Path privateKey, Path caCertificate) {
    public TlsIdentity tls() {
        return new TlsIdentity(certificate, privateKey, caCertificate);
    }

    /** The private key, e.g. for an issuer to sign its decisions. */
    public PrivateKey loadPrivateKey() {
        return PemFiles.readPrivateKey(privateKey);
    }
}
