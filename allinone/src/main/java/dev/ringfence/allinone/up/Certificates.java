package dev.ringfence.allinone.up;

import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.ca.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mTLS material of one host, made on the first run and reused afterwards (so sensors and tools that
 * already trust this CA keep working): the CA, the feedback service's certificate, this node's sensor
 * certificate, and the issuer certificate the CLI uses ({@code ./ringfence contain ...}).
 */
final class Certificates {
    static final String SERVICE = "feedback";
    static final String CLI_ISSUER = "cli";

    private Certificates() {}

    /** Ensures every certificate exists; returns what was created, empty when everything was reused. */
    static List<String> ensure(Path dir, String node) {
        List<String> created = new ArrayList<>();
        if (!Files.exists(dir.resolve(CertificateAuthority.CA_CERTIFICATE))) {
            created.add("CA");
        }
        CertificateAuthority ca = CertificateAuthority.openOrInit(dir);
        if (missing(dir, Role.SERVICE, SERVICE)) {
            ca.issueService(SERVICE, List.of());
            created.add("service " + SERVICE);
        }
        if (missing(dir, Role.NODE, node)) {
            ca.issueNode(node);
            created.add("node " + node);
        }
        if (missing(dir, Role.ISSUER, CLI_ISSUER)) {
            ca.issueIssuer(CLI_ISSUER);
            created.add("issuer " + CLI_ISSUER);
        }
        return created;
    }

    private static boolean missing(Path dir, Role role, String name) {
        IssuedCertificate files = CertificateAuthority.filesOf(dir, role, name);
        return !Files.isRegularFile(files.certificate()) || !Files.isRegularFile(files.privateKey());
    }
}
