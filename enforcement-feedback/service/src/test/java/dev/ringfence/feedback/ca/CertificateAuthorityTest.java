package dev.ringfence.feedback.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path dir;

    @Test
    void issuedCertificatesNameTheirRoleAndKeysAreOwnerOnly() throws Exception {
        CertificateAuthority ca = CertificateAuthority.init(dir);
        IssuedCertificate node = ca.issueNode("worker-1");
        IssuedCertificate service = ca.issueService("feedback", List.of("feedback.ringfence.svc", "10.0.0.7"));

        X509Certificate nodeCertificate = PemFiles.readCertificate(node.certificate());
        assertThat(PeerIdentity.of(nodeCertificate)).contains(new PeerIdentity(Role.NODE, "worker-1"));
        assertThat(nodeCertificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        nodeCertificate.verify(ca.caCertificate().getPublicKey());

        X509Certificate serviceCertificate = PemFiles.readCertificate(service.certificate());
        assertThat(serviceCertificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(serviceCertificate.getSubjectAlternativeNames()).extracting(entry -> String.valueOf(entry.get(1)))
                .contains("localhost", "127.0.0.1", "feedback.ringfence.svc", "10.0.0.7", "ringfence://service/feedback");

        for (Path key : List.of(dir.resolve("ca.key"), node.privateKey(), service.privateKey())) {
            assertThat(Files.getPosixFilePermissions(key)).as(key.toString()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(node.loadPrivateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void anExistingCaIsNeverOverwrittenAndCanBeReopened() {
        CertificateAuthority first = CertificateAuthority.init(dir);
        assertThatThrownBy(() -> CertificateAuthority.init(dir)).hasMessageContaining("already exists");
        assertThat(CertificateAuthority.open(dir).caCertificate()).isEqualTo(first.caCertificate());
        assertThat(CertificateAuthority.openOrInit(dir).caCertificate()).isEqualTo(first.caCertificate());
        assertThatThrownBy(() -> CertificateAuthority.open(dir.resolve("nothing"))).hasMessageContaining("certs init");
    }

    @Test
    void namesThatCouldEscapeAFolderOrAUriAreRefused() {
        CertificateAuthority ca = CertificateAuthority.init(dir);
        for (String bad : List.of("../x", "a/b", "", "node a", "-lead", "a..b", "x".repeat(254))) {
            assertThatThrownBy(() -> ca.issueNode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ca.issueService("feedback", List.of("300.1.1.1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyValidIssuerCertificatesOfThisCaAreTrustedForSignatures() throws Exception {
        CertificateAuthority ca = CertificateAuthority.init(dir.resolve("ca"));
        ca.issueIssuer("ops");
        ca.issueNode("worker-1");
        IssuedCertificate stranger = CertificateAuthority.init(dir.resolve("other")).issueIssuer("mallory");
        Files.copy(stranger.certificate(), dir.resolve("ca/issuers/mallory.crt"));
        Files.copy(ca.issueNode("impostor").certificate(), dir.resolve("ca/issuers/impostor.crt"));

        TrustedIssuers trusted = TrustedIssuers.load(dir.resolve("ca"));
        assertThat(trusted.keyOf("ops")).isPresent();
        assertThat(trusted.keyOf("mallory")).isEmpty();
        assertThat(trusted.keyOf("impostor")).isEmpty();
        assertThat(trusted.size()).isEqualTo(1);
    }
}
