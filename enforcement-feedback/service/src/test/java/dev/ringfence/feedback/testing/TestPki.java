package dev.ringfence.feedback.testing;

import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.server.FeedbackConfig;
import java.nio.file.Path;
import java.util.List;

/** A CA made for one test, with the service certificate and a few nodes and issuers. */
public final class TestPki {
    public final CertificateAuthority ca;
    public final IssuedCertificate service;
    public final IssuedCertificate nodeA;
    public final IssuedCertificate nodeB;
    public final IssuedCertificate ops;

    public TestPki(Path dir) {
        ca = CertificateAuthority.init(dir);
        service = ca.issueService(FeedbackConfig.DEFAULT_SERVICE_NAME, List.of());
        nodeA = ca.issueNode("node-a");
        nodeB = ca.issueNode("node-b");
        ops = ca.issueIssuer("ops");
    }

    public Path dir() {
        return ca.directory();
    }

    /** Loopback, any free port, fast retries: what every test service starts from. */
    public FeedbackConfig.Builder config() {
        return FeedbackConfig.builder(dir()).port(0).retryInterval(java.time.Duration.ofMillis(300));
    }
}
