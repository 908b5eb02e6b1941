package dev.ringfence.sensor.identity;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A workload declared for local-host mode: the cgroup (and everything below it) that runs it. With a
 * {@code namespace} it stands for a pod: its identity carries namespace and pod name and its key is
 * {@code <namespace>/Pod/<name>}, as a Kubernetes pod's would be; without one it is {@code host/<node>/<name>}.
 */
public record LocalWorkload(String name, String cgroup, Map<String, String> labels, List<String> ips, String namespace) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public LocalWorkload(String name, String cgroup, Map<String, String> labels, List<String> ips) {
        this(name, cgroup, labels, ips, null);
    }

    public LocalWorkload {
        if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("workload " + name + ": namespace '" + namespace + "' must match " + NAMESPACE.pattern());
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("workload name '" + name + "' must match " + NAME.pattern());
        }
        if (cgroup == null || !cgroup.startsWith("/") || cgroup.contains("/../") || cgroup.endsWith("/..")) {
            throw new IllegalArgumentException("workload " + name + ": cgroup '" + cgroup
                    + "' must be an absolute path below the cgroup v2 mount, e.g. /system.slice/nginx.service");
        }
        cgroup = cgroup.length() > 1 && cgroup.endsWith("/") ? cgroup.substring(0, cgroup.length() - 1) : cgroup;
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        ips = List.copyOf(ips == null ? List.of() : ips);
        for (String ip : ips) {
            try {
                InetAddress.ofLiteral(ip);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("workload " + name + ": '" + ip + "' is not an IPv4 or IPv6 address");
            }
        }
    }

    /** True when the cgroup path is this workload's cgroup or below it. */
    public boolean contains(String cgroupPath) {
        return cgroupPath.equals(cgroup) || cgroup.equals("/") || cgroupPath.startsWith(cgroup + "/");
    }
}
