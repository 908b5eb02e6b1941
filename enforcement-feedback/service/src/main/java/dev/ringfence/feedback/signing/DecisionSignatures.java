package dev.ringfence.feedback.signing;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.contract.codec.ContractCodec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.nio.ByteBuffer;
import java.util.TreeMap;

/**
 * Issuer signatures over a decision: ECDSA P-256 with SHA-256 over the canonical bytes, i.e. the
 * decision's Avro encoding with the signature removed and the workload labels in key order (Avro
 * writes maps in iteration order, which a decode does not preserve).
 */
public final class DecisionSignatures {
    private static final String ALGORITHM = "SHA256withECDSA";
    private static final ContractCodec<Decision> CODEC = ContractCodec.of(Decision.class);

    private DecisionSignatures() {}

    /** A copy of {@code decision} signed by {@code issuer}'s key, with signing_key_id = issuer. */
    public static Decision sign(Decision decision, String issuer, PrivateKey key) {
        Decision signed = Decision.newBuilder(decision).setSigningKeyId(issuer).setSignature(null).build();
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(canonicalBytes(signed));
            signed.setSignature(ByteBuffer.wrap(signature.sign()));
            return signed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign decision " + decision.getDecisionId() + ": " + e.getMessage(), e);
        }
    }

    public static boolean verify(Decision decision, PublicKey key) {
        if (decision.getSignature() == null) {
            return false;
        }
        ByteBuffer value = decision.getSignature().duplicate();
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(canonicalBytes(decision));
            return signature.verify(bytes);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The bytes a signature covers; also what two decisions with one id are compared on. */
    public static byte[] canonicalBytes(Decision decision) {
        Decision copy = Decision.newBuilder(decision).setSignature(null).build();
        WorkloadIdentity workload = copy.getTarget().getWorkload();
        if (workload != null) {
            copy.getTarget().setWorkload(WorkloadIdentity.newBuilder(workload).setLabels(new TreeMap<>(workload.getLabels())).build());
        }
        return CODEC.encode(copy);
    }
}
