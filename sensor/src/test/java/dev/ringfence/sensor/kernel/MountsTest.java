package dev.ringfence.sensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountsTest {
    @Test
    void findsTheCgroup2MountOfAHybridLayoutAndTheOthers() {
        Mounts mounts = Mounts.parse(List.of(
                "25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw",
                "32 25 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
                "33 32 0:28 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw",
                "34 32 0:29 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,name=systemd",
                "40 25 0:12 / /sys/kernel/tracing rw,nosuid,nodev,noexec,relatime shared:20 - tracefs tracefs rw",
                "41 25 0:35 / /sys/fs/bpf rw,relatime - bpf bpf rw",
                "42 30 0:36 / /mnt/with\\040space rw,relatime - ext4 /dev/vdb rw",
                "garbage line"));
        assertThat(mounts.cgroup2()).contains(Path.of("/sys/fs/cgroup/unified"));
        assertThat(mounts.tracefs()).contains(Path.of("/sys/kernel/tracing"));
        assertThat(mounts.bpffs()).contains(Path.of("/sys/fs/bpf"));
    }

    @Test
    void reportsWhatIsMissing() {
        Mounts mounts = Mounts.parse(List.of("25 30 0:23 / /sys rw - sysfs sysfs rw"));
        assertThat(mounts.cgroup2()).isEmpty();
        assertThat(mounts.bpffs()).isEmpty();
    }
}
