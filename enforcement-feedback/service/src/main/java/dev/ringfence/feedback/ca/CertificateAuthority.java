package dev.ringfence.feedback.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small file-based CA for one Ringfence installation. Layout of its directory:
 * <pre>
 *   ca.crt, ca.key                      the CA (key 0600)
 *   services/&lt;name&gt;.crt|.key         TLS server certificates (serverAuth, DNS/IP SANs)
 *   nodes/&lt;node&gt;.crt|.key            sensor certificates naming their node (clientAuth)
 *   issuers/&lt;name&gt;.crt|.key          who may submit decisions (clientAuth; also signs decisions)
 * </pre>
 * Every leaf carries the SAN URI {@code ringfence://<role>/<name>} that the service authorises on.
 */
public final class CertificateAuthority {
    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(397);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate caCertificate;
    private final PrivateKey caKey;

    private CertificateAuthority(Path dir, X509Certificate caCertificate, PrivateKey caKey) {
        this.dir = dir;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /** Creates a new CA in {@code dir}; refuses to overwrite an existing one. */
    public static CertificateAuthority init(Path dir) {
        if (Files.exists(dir.resolve(CA_CERTIFICATE)) || Files.exists(dir.resolve(CA_KEY))) {
            throw new IllegalStateException("a CA already exists in " + dir + " (remove it first to start over)");
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create CA directory " + dir, e);
        }
        KeyPair keys = newKeyPair();
        X500Name subject = name("Ringfence CA");
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate());
            PemFiles.writePrivateKey(dir.resolve(CA_KEY), keys.getPrivate());
            PemFiles.writeCertificate(dir.resolve(CA_CERTIFICATE), certificate);
            return new CertificateAuthority(dir, certificate, keys.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create CA certificate: " + e.getMessage(), e);
        }
    }

    /** Opens the CA already in {@code dir}. */
    public static CertificateAuthority open(Path dir) {
        Path certificate = dir.resolve(CA_CERTIFICATE);
        Path key = dir.resolve(CA_KEY);
        if (!Files.isRegularFile(certificate) || !Files.isRegularFile(key)) {
            throw new IllegalStateException("no CA in " + dir + " (expected " + CA_CERTIFICATE + " and " + CA_KEY
                    + "; create one with: certs init)");
        }
        return new CertificateAuthority(dir, PemFiles.readCertificate(certificate), PemFiles.readPrivateKey(key));
    }

    public static CertificateAuthority openOrInit(Path dir) {
        return Files.exists(dir.resolve(CA_CERTIFICATE)) ? open(dir) : init(dir);
    }

    public Path directory() {
        return dir;
    }

    public Path caCertificateFile() {
        return dir.resolve(CA_CERTIFICATE);
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** A TLS server certificate valid for the given host names and IP addresses (localhost is always included). */
    public IssuedCertificate issueService(String name, List<String> hosts) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        for (String host : hosts) {
            names.add(hostName(host));
        }
        return issue(Role.SERVICE, name, names, KeyPurposeId.id_kp_serverAuth);
    }

    /** A sensor certificate: its holder receives the decisions for {@code node} and nothing else. */
    public IssuedCertificate issueNode(String node) {
        return issue(Role.NODE, node, List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    /** A certificate that may submit and release decisions, and sign them. */
    public IssuedCertificate issueIssuer(String name) {
        return issue(Role.ISSUER, name, List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    /** Where an issued certificate of this CA lives, whether or not it exists yet. */
    public static IssuedCertificate filesOf(Path dir, Role role, String name) {
        CertificateNames.require(name, role.name().toLowerCase(java.util.Locale.ROOT));
        Path folder = dir.resolve(role.folder());
        return new IssuedCertificate(new PeerIdentity(role, name), folder.resolve(name + ".crt"),
                folder.resolve(name + ".key"), dir.resolve(CA_CERTIFICATE));
    }

    private IssuedCertificate issue(Role role, String name, List<GeneralName> extraNames, KeyPurposeId purpose) {
        IssuedCertificate files = filesOf(dir, role, name);
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        List<GeneralName> names = new ArrayList<>(extraNames);
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, role.uri(name)));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(LEAF_VALIDITY)),
                    leafName(role, name), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, caKey);
            PemFiles.writePrivateKey(files.privateKey(), keys.getPrivate());
            PemFiles.writeCertificate(files.certificate(), certificate);
            return files;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue " + role.uri(name) + ": " + e.getMessage(), e);
        }
    }

    private static GeneralName hostName(String host) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                InetAddress.ofLiteral(host);
                return new GeneralName(GeneralName.iPAddress, host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an IP address: '" + host + "'");
            }
        }
        return new GeneralName(GeneralName.dNSName, CertificateNames.require(host, "host"));
    }

    private static X500Name leafName(Role role, String name) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Ringfence")
                .addRDN(BCStyle.OU, role.folder())
                .addRDN(BCStyle.CN, name)
                .build();
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Ringfence").addRDN(BCStyle.CN, commonName).build();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator in this JVM", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    /** For verifying signatures of issuers without trusting a file's word for it: chains to this CA. */
    static boolean signedBy(X509Certificate certificate, PublicKey caKey) {
        try {
            certificate.verify(caKey);
            certificate.checkValidity();
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
