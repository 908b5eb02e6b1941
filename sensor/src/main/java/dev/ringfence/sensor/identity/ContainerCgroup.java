package dev.ringfence.sensor.identity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container recognised from its cgroup path. Formats, with systemd or cgroupfs drivers:
 * containerd  .../kubepods-besteffort-pod<uid>.slice/cri-containerd-<id>.scope, /kubepods/besteffort/pod<uid>/<id>
 * CRI-O       .../kubepods-pod<uid>.slice/crio-<id>.scope
 * docker      /system.slice/docker-<id>.scope, /docker/<id>
 */
public record ContainerCgroup(String runtime, String containerId, String podUid) {
    private static final Pattern SCOPE = Pattern.compile("(cri-containerd|crio|docker|libpod)-([0-9a-f]{64})\\.scope$");
    private static final Pattern CGROUPFS_ID = Pattern.compile("/([0-9a-f]{64})$");
    private static final Pattern POD_SLICE = Pattern.compile("-pod([0-9a-f_]{36})\\.slice");
    private static final Pattern POD_DIR = Pattern.compile("/pod([0-9a-f-]{36})/");

    public static Optional<ContainerCgroup> parse(String cgroupPath) {
        String podUid = podUid(cgroupPath);
        Matcher scope = SCOPE.matcher(cgroupPath);
        if (scope.find()) {
            String runtime = switch (scope.group(1)) {
                case "cri-containerd" -> "containerd";
                case "crio" -> "cri-o";
                case "libpod" -> "podman";
                default -> "docker";
            };
            return Optional.of(new ContainerCgroup(runtime, scope.group(2), podUid));
        }
        Matcher plain = CGROUPFS_ID.matcher(cgroupPath);
        if (plain.find()) {
            String runtime = cgroupPath.startsWith("/docker/") ? "docker" : podUid != null ? "kubernetes" : "unknown";
            return Optional.of(new ContainerCgroup(runtime, plain.group(1), podUid));
        }
        return Optional.empty();
    }

    private static String podUid(String cgroupPath) {
        Matcher slice = POD_SLICE.matcher(cgroupPath);
        if (slice.find()) {
            return slice.group(1).replace('_', '-');
        }
        Matcher directory = POD_DIR.matcher(cgroupPath);
        return directory.find() ? directory.group(1) : null;
    }
}
