package dev.ringfence.sensor.cli;

import dev.ringfence.sensor.bpf.ProbeSet;
import dev.ringfence.sensor.kernel.Mounts;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** `sensor check`: what this kernel and host support, hook by hook; false when the sensor cannot run. */
final class KernelCheck {
    private final PrintStream out;
    private boolean ok = true;

    KernelCheck(PrintStream out) {
        this.out = out;
    }

    boolean run(Path workDirectory) {
        out.println("kernel " + System.getProperty("os.version"));
        require("running as root", "root".equals(System.getProperty("user.name")),
                "the sensor needs root (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN)");
        require("BTF (/sys/kernel/btf/vmlinux)", Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")),
                "the kernel has no BTF (CONFIG_DEBUG_INFO_BTF=y is required for CO-RE)");
        Mounts mounts = Mounts.current();
        Optional<Path> cgroup2 = mounts.cgroup2();
        require("cgroup v2" + cgroup2.map(path -> " at " + path).orElse(""), cgroup2.isPresent(),
                "no cgroup2 mount in /proc/self/mountinfo");
        info("bpffs", mounts.bpffs().map(Path::toString).orElse("not mounted (only needed for pinning enforcement state)"));
        Path tracefs = null;
        try {
            tracefs = Mounts.ensureTracefs();
            require("tracefs at " + tracefs, true, "");
        } catch (RuntimeException e) {
            require("tracefs", false, e.getMessage());
        }
        if (!ok || cgroup2.isEmpty() || tracefs == null) {
            out.println("FAIL: the sensor cannot run on this host (see above)");
            return false;
        }
        try (ProbeSet probes = ProbeSet.load(ProbeSet.CAPTURE_OBJECTS, workDirectory, cgroup2.get(), tracefs, false)) {
            for (ProbeSet.Attachment attachment : probes.attachments()) {
                String what = attachment.object() + ": " + attachment.hook();
                if (attachment.status() == ProbeSet.Status.ABSENT) {
                    info(what, "absent, not watched: " + attachment.detail());
                } else {
                    require(what, attachment.status() == ProbeSet.Status.ATTACHED, attachment.detail());
                }
            }
        } catch (RuntimeException | LinkageError e) {
            require("load BPF objects " + ProbeSet.CAPTURE_OBJECTS, false, e.getMessage());
        }
        out.println(ok ? "OK: the sensor can run on this host" : "FAIL: the sensor cannot run on this host (see above)");
        return ok;
    }

    private void require(String what, boolean passed, String whyNot) {
        out.println((passed ? "  ok    " : "  FAIL  ") + what + (passed ? "" : ": " + whyNot));
        ok &= passed;
    }

    private void info(String what, String detail) {
        out.println("  info  " + what + ": " + detail);
    }
}
