package dev.ringfence.sensor.enforce.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An executable as the kernel sees it at exec: inode and the super block's device number
 * (major << 20 | minor). Renaming or hard-linking the file keeps both; a copy gets a new inode.
 */
public record FileIdentity(long inode, long dev) {
    /** Follows symlinks, as exec does. */
    public static FileIdentity of(Path file) {
        try {
            long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            return new FileIdentity(inode, kernelDev(((Number) Files.getAttribute(file, "unix:dev")).longValue()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }

    /** stat(2)'s st_dev (glibc's encoding) to the kernel's internal dev_t. */
    static long kernelDev(long stDev) {
        long major = ((stDev >>> 8) & 0xfff) | ((stDev >>> 32) & ~0xfffL);
        long minor = (stDev & 0xff) | ((stDev >>> 12) & ~0xffL);
        return (major << 20) | minor;
    }
}
