package dev.ringfence.sensor.bpf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/** Reads the fields of a record the kernel wrote, by the C field names of its {@link KernelStructs} layout. */
public final class KernelRecord {
    /**
     * Field offsets per layout, found by identity: a layout's own hashCode walks every member each time, and
     * hashing the struct per field read was half the sensor's CPU. Copy-on-write, so reads take no lock.
     */
    private static volatile Map<StructLayout, Map<String, Integer>> offsetsByLayout = new IdentityHashMap<>();

    private final ByteBuffer buffer;
    private final StructLayout layout;
    private final Map<String, Integer> offsets;
    private final int base;

    private KernelRecord(ByteBuffer buffer, StructLayout layout, int base) {
        this.buffer = buffer;
        this.layout = layout;
        this.offsets = offsetsOf(layout);
        this.base = base;
    }

    /** @throws MalformedRecordException when the bytes are shorter than the struct */
    public static KernelRecord of(byte[] bytes, StructLayout layout) {
        if (bytes.length < layout.byteSize()) {
            throw new MalformedRecordException(layout.name().orElse("record") + " needs " + layout.byteSize()
                    + " bytes, got " + bytes.length);
        }
        return new KernelRecord(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), layout, 0);
    }

    /** The record type of a raw record (first u32), or -1 when too short to have one. */
    public static int typeOf(byte[] bytes) {
        return bytes.length < 4 ? -1 : ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    public KernelRecord nested(String field, StructLayout nestedLayout) {
        return new KernelRecord(buffer, nestedLayout, offset(field));
    }

    public int u8(String field) {
        return Byte.toUnsignedInt(buffer.get(offset(field)));
    }

    public int u16(String field) {
        return Short.toUnsignedInt(buffer.getShort(offset(field)));
    }

    public int i32(String field) {
        return buffer.getInt(offset(field));
    }

    public long u32(String field) {
        return Integer.toUnsignedLong(buffer.getInt(offset(field)));
    }

    public long i64(String field) {
        return buffer.getLong(offset(field));
    }

    public long i64At(String field, int index) {
        return buffer.getLong(offset(field) + index * Long.BYTES);
    }

    public byte[] bytes(String field, int from, int to) {
        int start = offset(field);
        return Arrays.copyOfRange(buffer.array(), start + from, start + to);
    }

    /** A NUL-terminated string within [from, to) of a byte-array field. */
    public String string(String field, int from, int to) {
        byte[] array = buffer.array();
        int start = offset(field) + from;
        int end = offset(field) + to;
        int nul = start;
        while (nul < end && array[nul] != 0) {
            nul++;
        }
        return new String(array, start, nul - start, StandardCharsets.UTF_8);
    }

    private int offset(String field) {
        Integer offset = offsets.get(field);
        if (offset == null) {
            throw new IllegalArgumentException("no field " + field + " in " + layout.name().orElse(layout.toString()));
        }
        return base + offset;
    }

    private static Map<String, Integer> offsetsOf(StructLayout layout) {
        Map<String, Integer> known = offsetsByLayout.get(layout);
        if (known != null) {
            return known;
        }
        synchronized (KernelRecord.class) {
            Map<StructLayout, Map<String, Integer>> updated = new IdentityHashMap<>(offsetsByLayout);
            Map<String, Integer> fields = updated.computeIfAbsent(layout, KernelRecord::fieldOffsets);
            offsetsByLayout = updated;
            return fields;
        }
    }

    private static Map<String, Integer> fieldOffsets(StructLayout layout) {
        Map<String, Integer> fields = new HashMap<>();
        for (MemoryLayout member : layout.memberLayouts()) {
            member.name().ifPresent(name -> fields.put(name,
                    (int) layout.byteOffset(MemoryLayout.PathElement.groupElement(name))));
        }
        return Map.copyOf(fields);
    }
}
