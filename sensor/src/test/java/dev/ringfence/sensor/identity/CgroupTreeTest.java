package dev.ringfence.sensor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CgroupTreeTest {
    private final CgroupTree tree = new CgroupTree(Path.of("/sys/fs/cgroup/unified"));

    @Test
    void aCgroupPathNamesItsDirectoryUnderTheMount() {
        assertThat(tree.directoryOf("/")).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
        assertThat(tree.directoryOf("/system.slice/ringfence.service"))
                .isEqualTo(Path.of("/sys/fs/cgroup/unified/system.slice/ringfence.service"));
    }
}
