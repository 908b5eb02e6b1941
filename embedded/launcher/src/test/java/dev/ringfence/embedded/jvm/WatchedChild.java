package dev.ringfence.embedded.jvm;

/** Test fixture: a server stand-in that lives until its parent goes away. */
public final class WatchedChild {
    private WatchedChild() {}

    public static void main(String[] args) throws InterruptedException {
        ParentWatch.exitWhenParentDies();
        Thread.sleep(Long.MAX_VALUE);
    }
}
