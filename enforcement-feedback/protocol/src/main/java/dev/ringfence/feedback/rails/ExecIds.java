package dev.ringfence.feedback.rails;

import java.util.Optional;

/** The contract's exec id: {@code <node>:<pid>:<start_ns>}. Node names contain no ':'. */
public final class ExecIds {
    private ExecIds() {}

    public static boolean isValid(String execId) {
        return parts(execId) != null;
    }

    public static Optional<String> node(String execId) {
        String[] parts = parts(execId);
        return parts == null ? Optional.empty() : Optional.of(parts[0]);
    }

    public static Optional<Integer> pid(String execId) {
        String[] parts = parts(execId);
        return parts == null ? Optional.empty() : Optional.of(Integer.parseInt(parts[1]));
    }

    private static String[] parts(String execId) {
        if (execId == null) {
            return null;
        }
        String[] parts = execId.split(":", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].matches("\\d{1,10}") || !parts[2].matches("\\d{1,19}")) {
            return null;
        }
        long pid = Long.parseLong(parts[1]);
        return pid > 0 && pid <= Integer.MAX_VALUE ? parts : null;
    }
}
