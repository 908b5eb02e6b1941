package dev.ringfence.feedback.ca;

import java.util.Optional;

/**
 * What a certificate lets its holder do, written into the certificate as a SAN URI
 * {@code ringfence://<role>/<name>} so the service reads role and name from the verified chain,
 * never from anything the caller says.
 */
public enum Role {
    /** A sensor: receives its own node's decisions and acks them. */
    NODE("node"),
    /**
     * A sensor pod, named {@code <namespace>/<pod>/<uid>} (what cert-manager's csi-driver can write into a
     * certificate; it cannot write the node name): holds a sensor link for the node the API server says that pod
     * runs on, when the service resolves sensor pods (see link.SensorPods), else nothing.
     */
    SENSOR_POD("sensor-pod"),
    /** A person or tool (CLI, jobs): may submit and release decisions. */
    ISSUER("issuer"),
    /** The enforcement-feedback service itself (TLS server). */
    SERVICE("service");

    static final String SCHEME = "ringfence://";

    private final String path;

    Role(String path) {
        this.path = path;
    }

    public String uri(String name) {
        return SCHEME + path + "/" + name;
    }

    /** Folder of the CA directory holding this role's certificates and keys. */
    public String folder() {
        return path + "s";
    }

    static Optional<PeerIdentity> parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String rolePath = rest.substring(0, slash);
        String name = rest.substring(slash + 1);
        if (SENSOR_POD.path.equals(rolePath)) {
            String[] parts = name.split("/", -1);
            boolean valid = parts.length == 3;
            for (int i = 0; valid && i < parts.length; i++) {
                valid = CertificateNames.isValid(parts[i]);
            }
            return valid ? Optional.of(new PeerIdentity(SENSOR_POD, name)) : Optional.empty();
        }
        for (Role role : values()) {
            if (role != SENSOR_POD && role.path.equals(rolePath) && CertificateNames.isValid(name)) {
                return Optional.of(new PeerIdentity(role, name));
            }
        }
        return Optional.empty();
    }
}
