package dev.ringfence.feedback.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.testing.Decisions;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionSignaturesTest {
    @TempDir
    static Path dir;
    static IssuedCertificate ops;
    static PublicKey opsKey;

    @BeforeAll
    static void issue() throws Exception {
        ops = CertificateAuthority.init(dir).issueIssuer("ops");
        opsKey = dev.ringfence.feedback.ca.TrustedIssuers.load(dir).keyOf("ops").orElseThrow();
    }

    @Test
    void aSignatureSurvivesTheWireAndBreaksOnAnyChange() {
        Decision signed = DecisionSignatures.sign(Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofMinutes(1)).build(),
                "ops", ops.loadPrivateKey());
        ContractCodec<Decision> codec = ContractCodec.of(Decision.class);
        Decision received = codec.decode(codec.encode(signed));
        assertThat(DecisionSignatures.verify(received, opsKey)).isTrue();

        Decision longer = Decision.newBuilder(received).setTtlMs(received.getTtlMs() + 1).build();
        assertThat(DecisionSignatures.verify(longer, opsKey)).isFalse();
        Decision unsigned = Decision.newBuilder(received).setSignature(null).build();
        assertThat(DecisionSignatures.verify(unsigned, opsKey)).isFalse();
    }

    @Test
    void labelOrderDoesNotChangeTheCanonicalBytes() {
        Decision decision = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofMinutes(1)).build();
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("app", "cart");
        ab.put("tier", "web");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("tier", "web");
        ba.put("app", "cart");
        Decision first = Decision.newBuilder(decision).build();
        first.getTarget().getWorkload().setLabels(ab);
        Decision second = Decision.newBuilder(decision).build();
        second.getTarget().getWorkload().setLabels(ba);
        assertThat(DecisionSignatures.canonicalBytes(first)).isEqualTo(DecisionSignatures.canonicalBytes(second));
        Decision signedFirst = DecisionSignatures.sign(first, "ops", ops.loadPrivateKey());
        signedFirst.getTarget().getWorkload().setLabels(ba);
        assertThat(DecisionSignatures.verify(signedFirst, opsKey)).isTrue();
    }
}
