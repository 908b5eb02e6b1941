package dev.ringfence.sensor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupTreeTest {
    private final CgroupTree tree = new CgroupTree(Path.of("/sys/fs/cgroup/unified"));

    @Test
    void aCgroupPathNamesItsDirectoryUnderTheMount() {
        assertThat(tree.directoryOf("/")).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
        assertThat(tree.directoryOf("/system.slice/ringfence.service"))
                .isEqualTo(Path.of("/sys/fs/cgroup/unified/system.slice/ringfence.service"));
    }

    @Test
    void aCgroupMadeJustAfterAScanIsFoundAtOnceOnlyWhenRescanningOnAMissIsAskedFor(@TempDir Path root) throws Exception {
        CgroupTree fresh = new CgroupTree(root); // any directory tree: ids are the directories' inode numbers
        Path first = Files.createDirectory(root.resolve("first"));
        assertThat(fresh.pathOf(CgroupTree.idOf(first))).contains("/first");

        Path made = Files.createDirectory(root.resolve("made"));
        assertThat(fresh.pathOf(CgroupTree.idOf(made))).as("a miss within a second of the last scan does not rescan").isEmpty();
        assertThat(fresh.pathOfRescanning(CgroupTree.idOf(made))).contains("/made");
    }
}
