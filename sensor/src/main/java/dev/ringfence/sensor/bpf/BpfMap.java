package dev.ringfence.sensor.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A loaded BPF map, addressed by its fd; keys and values are raw bytes laid out as the C structs. */
public final class BpfMap {
    /** bpf_map_update_elem flags. */
    public static final long ANY = 0;
    public static final long NOEXIST = 1;

    private static final int ENOENT = 2;
    private static final int EEXIST = 17;

    private final String name;
    private final int fd;
    private final int keySize;
    private final int valueSize;

    BpfMap(String name, int fd, int keySize, int valueSize) {
        this.name = name;
        this.fd = fd;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    public String name() {
        return name;
    }

    public int fd() {
        return fd;
    }

    public Optional<byte[]> lookup(byte[] key) {
        return lookupValue(key, valueSize);
    }

    /** Per-CPU maps: one value per possible CPU, each padded to 8 bytes. */
    public List<byte[]> lookupPerCpu(byte[] key) {
        int stride = (valueSize + 7) & ~7;
        int cpus = possibleCpus();
        byte[] all = lookupValue(key, stride * cpus).orElse(new byte[stride * cpus]);
        List<byte[]> values = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.add(java.util.Arrays.copyOfRange(all, cpu * stride, cpu * stride + valueSize));
        }
        return values;
    }

    /** Sum of a per-CPU u64 counter at an int index. */
    public long sumPerCpu(int index) {
        long sum = 0;
        for (byte[] value : lookupPerCpu(intKey(index))) {
            sum += java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        }
        return sum;
    }

    /** Returns false when flags forbade it (NOEXIST on an existing key). */
    public boolean update(byte[] key, byte[] value, long flags) {
        checkSize(key, keySize, "key");
        checkSize(value, valueSize, "value");
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) Libbpf.MAP_UPDATE.invokeExact(fd, arena.allocateFrom(ValueLayout.JAVA_BYTE, key),
                    arena.allocateFrom(ValueLayout.JAVA_BYTE, value), flags);
            if (rc == -EEXIST && flags == NOEXIST) {
                return false;
            }
            if (rc < 0) {
                throw new BpfException("update of map " + name, rc);
            }
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("update of map " + name, e);
        }
    }

    public boolean delete(byte[] key) {
        checkSize(key, keySize, "key");
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) Libbpf.MAP_DELETE.invokeExact(fd, arena.allocateFrom(ValueLayout.JAVA_BYTE, key));
            if (rc == -ENOENT) {
                return false;
            }
            if (rc < 0) {
                throw new BpfException("delete from map " + name, rc);
            }
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("delete from map " + name, e);
        }
    }

    /** Every key currently in the map (a snapshot; concurrent kernel updates may add or remove some). */
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment current = MemorySegment.NULL;
            MemorySegment next = arena.allocate(keySize);
            while (true) {
                int rc = (int) Libbpf.MAP_NEXT_KEY.invokeExact(fd, current, next);
                if (rc == -ENOENT) {
                    return keys;
                }
                if (rc < 0) {
                    throw new BpfException("iteration of map " + name, rc);
                }
                keys.add(next.toArray(ValueLayout.JAVA_BYTE));
                if (current.equals(MemorySegment.NULL)) {
                    current = arena.allocate(keySize);
                }
                current.copyFrom(next);
            }
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("iteration of map " + name, e);
        }
    }

    public static byte[] intKey(int value) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    public static byte[] longKey(long value) {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private Optional<byte[]> lookupValue(byte[] key, int size) {
        checkSize(key, keySize, "key");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(size, 8);
            int rc = (int) Libbpf.MAP_LOOKUP.invokeExact(fd, arena.allocateFrom(ValueLayout.JAVA_BYTE, key), value);
            if (rc == -ENOENT) {
                return Optional.empty();
            }
            if (rc < 0) {
                throw new BpfException("lookup in map " + name, rc);
            }
            return Optional.of(value.toArray(ValueLayout.JAVA_BYTE));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("lookup in map " + name, e);
        }
    }

    private void checkSize(byte[] bytes, int expected, String what) {
        if (bytes.length != expected) {
            throw new IllegalArgumentException(
                    "map " + name + ": " + what + " has " + bytes.length + " bytes, expected " + expected);
        }
    }

    static int possibleCpus() {
        try {
            int cpus = (int) Libbpf.NUM_POSSIBLE_CPUS.invokeExact();
            if (cpus <= 0) {
                throw new BpfException("libbpf_num_possible_cpus", cpus);
            }
            return cpus;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("libbpf_num_possible_cpus", e);
        }
    }
}
