package dev.ringfence.feedback.ca;

import java.util.regex.Pattern;

/** Names that go into certificates, file names and SAN URIs: DNS-label-like, so none can escape a folder or a URI. */
public final class CertificateNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?");

    private CertificateNames() {}

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..");
    }

    public static String require(String name, String what) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(what + " name must be 1-253 letters, digits, '.', '-' or '_' "
                    + "(starting and ending with a letter or digit), got '" + name + "'");
        }
        return name;
    }
}
