package dev.ringfence.embedded.jvm;

import java.io.IOException;

/** Child side of {@link ChildJvm}: exit (running shutdown hooks) once the parent's pipe on stdin closes. */
public final class ParentWatch {
    private ParentWatch() {}

    public static void exitWhenParentDies() {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; we only wait for end of stream
                }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone, same as end of stream
            }
            System.exit(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
