package dev.ringfence.jobs.detect;

import dev.ringfence.jobs.config.Check;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** What makes a binary suspicious in a server's subtree: names of shells, interpreters, network tools, and where
 * downloaded binaries land. Matching is on the file name (without version suffix) or the directory prefix. */
public final class BinaryClasses implements Serializable {
    private static final long serialVersionUID = 1L;

    public List<String> shells = new ArrayList<>(List.of("sh", "bash", "dash", "zsh", "ash", "ksh", "busybox"));
    public List<String> interpreters = new ArrayList<>(List.of("python", "perl", "ruby", "php", "node", "lua"));
    public List<String> networkTools = new ArrayList<>(List.of("nc", "ncat", "netcat", "socat", "curl", "wget",
            "nmap", "masscan", "ssh", "scp", "telnet"));
    /** Executables started from here were most likely written there at run time. */
    public List<String> writableDirs = new ArrayList<>(List.of("/tmp/", "/var/tmp/", "/dev/shm/", "/run/user/"));

    public void validate() {
        Check.present("detectors.binaries.shells", shells);
        Check.present("detectors.binaries.interpreters", interpreters);
        Check.present("detectors.binaries.networkTools", networkTools);
        Check.present("detectors.binaries.writableDirs", writableDirs);
    }

    public enum Kind { SHELL, INTERPRETER, NETWORK_TOOL, DOWNLOADED, OTHER }

    public Kind classify(String binaryPath) {
        for (String dir : writableDirs) {
            if (binaryPath.startsWith(dir)) {
                return Kind.DOWNLOADED;
            }
        }
        String name = baseName(binaryPath);
        if (shells.contains(name)) {
            return Kind.SHELL;
        }
        if (interpreters.contains(name)) {
            return Kind.INTERPRETER;
        }
        return networkTools.contains(name) ? Kind.NETWORK_TOOL : Kind.OTHER;
    }

    /** "/usr/bin/python3.11" -> "python": version suffixes do not make another interpreter. */
    static String baseName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int end = name.length();
        while (end > 1 && (Character.isDigit(name.charAt(end - 1)) || name.charAt(end - 1) == '.')) {
            end--;
        }
        return name.substring(0, end);
    }
}
