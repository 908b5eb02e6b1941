package dev.ringfence.feedback.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One party's mutual-TLS material as PEM files: its certificate, its PKCS#8 private key, and the CA
 * certificate it trusts for the other side. Both ends of every call present a certificate.
 */
public record TlsIdentity(Path certificate, Path privateKey, Path trustedCa) {

    public TlsIdentity {
        requireReadable(certificate, "certificate");
        requireReadable(privateKey, "private key");
        requireReadable(trustedCa, "CA certificate");
    }

    public ChannelCredentials clientCredentials() {
        try {
            return TlsChannelCredentials.newBuilder()
                    .keyManager(certificate.toFile(), privateKey.toFile())
                    .trustManager(trustedCa.toFile())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load TLS material " + certificate + " / " + privateKey, e);
        }
    }

    /** Server side: a client without a certificate signed by {@link #trustedCa()} fails the handshake. */
    public ServerCredentials serverCredentials() {
        try {
            return TlsServerCredentials.newBuilder()
                    .keyManager(certificate.toFile(), privateKey.toFile())
                    .trustManager(trustedCa.toFile())
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load TLS material " + certificate + " / " + privateKey, e);
        }
    }

    private static void requireReadable(Path file, String what) {
        if (file == null) {
            throw new IllegalArgumentException("no " + what + " file given");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " file " + file + " does not exist or is not readable");
        }
    }
}
