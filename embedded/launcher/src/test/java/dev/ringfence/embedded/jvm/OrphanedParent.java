package dev.ringfence.embedded.jvm;

import java.nio.file.Path;
import java.util.List;

/** Test fixture: a parent JVM that starts a watched child, prints the child's pid, and waits to be killed. */
public final class OrphanedParent {
    private OrphanedParent() {}

    public static void main(String[] args) throws InterruptedException {
        ChildJvm child = ChildJvm.start("watched-child", System.getProperty("java.class.path"),
                WatchedChild.class.getName(), List.of(), List.of(), Path.of(args[0]));
        System.out.println("child-pid=" + child.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
