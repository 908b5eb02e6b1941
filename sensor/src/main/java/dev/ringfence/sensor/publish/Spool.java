package dev.ringfence.sensor.publish;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A bounded on-disk FIFO of records (segment files of length-prefixed entries). Appends go to the
 * newest segment; replay takes the oldest whole segment and removes it once delivered. Past the
 * byte limit the oldest segment is dropped and its records counted. Survives restarts.
 */
public final class Spool {
    /** One spooled record: the topic's ordinal and the encoded value; key derived again on replay. */
    public record Entry(int topic, byte[] value) {}

    /** A segment taken for replay: remove it with {@link #delivered(Segment)} once sent. */
    public record Segment(long index, List<Entry> entries) {}

    private static final String SUFFIX = ".seg";
    private static final int MAX_ENTRY = 16 << 20;

    private final Path directory;
    private final long maxBytes;
    private final long segmentBytes;
    private final TreeMap<Long, long[]> segments = new TreeMap<>(); // index -> {bytes, records}
    private DataOutputStream tail;
    private long tailIndex = -1;
    private long replaying = -1;
    private long dropped;

    public Spool(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(64 << 10, maxBytes / 16);
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).toList()) {
                    long index = Long.parseLong(file.getFileName().toString().replace(SUFFIX, ""));
                    segments.put(index, new long[] {Files.size(file), read(file).size()});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open spool " + directory, e);
        }
    }

    public synchronized void append(Entry entry) {
        try {
            if (tail == null || segments.get(tailIndex)[0] >= segmentBytes) {
                rotate();
            }
            tail.writeInt(entry.value().length);
            tail.writeByte(entry.topic());
            tail.write(entry.value());
            tail.flush();
            long[] size = segments.get(tailIndex);
            size[0] += 5 + entry.value().length;
            size[1]++;
            dropOldestBeyondLimit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to spool " + directory, e);
        }
    }

    /** The oldest segment with records, closing the one being written if it is the only one. */
    public synchronized Optional<Segment> oldest() {
        if (pending() == 0) {
            return Optional.empty();
        }
        long index = segments.firstKey();
        if (index == tailIndex) {
            closeTail();
        }
        replaying = index;
        try {
            return Optional.of(new Segment(index, read(file(index))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spool segment " + file(index), e);
        }
    }

    public synchronized void delivered(Segment segment) {
        replaying = -1;
        if (segments.remove(segment.index()) != null) {
            delete(segment.index());
        }
    }

    public synchronized void abandonReplay() {
        replaying = -1;
    }

    public synchronized long pending() {
        return segments.values().stream().mapToLong(size -> size[1]).sum();
    }

    public synchronized long dropped() {
        return dropped;
    }

    public synchronized boolean isEmpty() {
        return pending() == 0;
    }

    public synchronized void close() {
        closeTail();
    }

    private void rotate() throws IOException {
        closeTail();
        tailIndex = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        segments.put(tailIndex, new long[] {0, 0});
        tail = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file(tailIndex))));
    }

    private void closeTail() {
        if (tail == null) {
            return;
        }
        try {
            tail.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close spool segment " + file(tailIndex), e);
        }
        tail = null;
        if (segments.containsKey(tailIndex) && segments.get(tailIndex)[1] == 0) {
            segments.remove(tailIndex);
            delete(tailIndex);
        }
        tailIndex = -1;
    }

    private void dropOldestBeyondLimit() {
        while (segments.values().stream().mapToLong(size -> size[0]).sum() > maxBytes) {
            Long oldest = segments.keySet().stream().filter(index -> index != replaying && index != tailIndex)
                    .findFirst().orElse(null);
            if (oldest == null) {
                return;
            }
            dropped += segments.remove(oldest)[1];
            delete(oldest);
        }
    }

    private void delete(long index) {
        try {
            Files.deleteIfExists(file(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spool segment " + file(index), e);
        }
    }

    private Path file(long index) {
        return directory.resolve(String.format("%020d%s", index, SUFFIX));
    }

    /** Reads a segment; a torn last entry (crash while writing) is ignored. */
    private static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            while (true) {
                try {
                    int length = data.readInt();
                    if (length < 0 || length > MAX_ENTRY) {
                        return entries;
                    }
                    int topic = data.readUnsignedByte();
                    byte[] value = new byte[length];
                    data.readFully(value);
                    entries.add(new Entry(topic, value));
                } catch (EOFException endOrTorn) {
                    return entries;
                }
            }
        }
    }
}
