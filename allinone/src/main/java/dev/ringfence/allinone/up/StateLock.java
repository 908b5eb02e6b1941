package dev.ringfence.allinone.up;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code up} per state directory: a second one would start a second broker on the same data and port.
 * The operating system drops the lock when the process ends, however it ends, so a crash leaves no stale lock.
 */
final class StateLock implements AutoCloseable {
    private static final String FILE = "up.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or throws IllegalStateException naming the process that holds it. */
    static StateLock acquire(Path state) throws IOException {
        Files.createDirectories(state);
        Path file = state.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            throw new IllegalStateException("another 'ringfence up' (pid " + (holder.isEmpty() ? "unknown" : holder)
                    + ") is using " + state + ": stop it first, or pass another --state-dir");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
        return new StateLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
