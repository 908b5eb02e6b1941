package dev.ringfence.sensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Where the sensor receives enforcement decisions: the feedback service and this node's mTLS identity. */
public record FeedbackLink(String address, Path certificate, Path privateKey, Path trustedCa) {
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}");

    public FeedbackLink {
        if (address == null || !HOST_PORT.matcher(address).matches()) {
            throw new IllegalArgumentException("feedback.address must be HOST:PORT, got " + address);
        }
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("feedback.address port must be 1..65535, got " + port);
        }
        readable(certificate, "feedback.cert");
        readable(privateKey, "feedback.key");
        readable(trustedCa, "feedback.ca");
    }

    private static void readable(Path file, String key) {
        if (file == null) {
            throw new IllegalArgumentException(key + " is required with feedback.address");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(key + " " + file + " is not a readable file");
        }
    }
}
