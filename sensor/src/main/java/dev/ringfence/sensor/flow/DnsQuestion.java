package dev.ringfence.sensor.flow;

/** The name of a DNS question from the bytes after the message header: length-prefixed labels. */
final class DnsQuestion {
    private static final int MAX_LABEL = 63;

    private DnsQuestion() {}

    /** Null when there are no bytes or they are not a name (a compression pointer, a bad length...). */
    static String name(byte[] question) {
        if (question.length == 0) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int i = 0;
        while (i < question.length) {
            int length = question[i] & 0xff;
            if (length == 0) {
                return name.isEmpty() ? "." : name.toString();
            }
            if (length > MAX_LABEL || i + 1 + length > question.length) {
                return name.isEmpty() ? null : name + "…";
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            for (int k = i + 1; k <= i + length; k++) {
                char c = (char) (question[k] & 0xff);
                name.append(c > 0x20 && c < 0x7f ? c : '?');
            }
            i += 1 + length;
        }
        return name + "…";
    }
}
