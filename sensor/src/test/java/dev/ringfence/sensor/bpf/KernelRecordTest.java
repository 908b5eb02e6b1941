package dev.ringfence.sensor.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KernelRecordTest {
    private static final StructLayout INNER = MemoryLayout.structLayout(JAVA_INT.withName("a"), JAVA_INT.withName("b")).withName("inner");
    private static final StructLayout OUTER = MemoryLayout.structLayout(
            JAVA_BYTE.withName("flag"), MemoryLayout.paddingLayout(1), JAVA_SHORT.withName("port"), JAVA_INT.withName("count"),
            JAVA_LONG.withName("time"), INNER.withName("inner"), MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("name"),
            MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("pair")).withName("outer");

    @Test
    void fieldsAreReadAtTheirLayoutOffsetsNestedOnesToo() {
        ByteBuffer bytes = ByteBuffer.allocate((int) OUTER.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(0, (byte) 0xfe).putShort(2, (short) 0xbeef).putInt(4, -7).putLong(8, 1L << 40).putInt(16, 11).putInt(20, 22)
                .put(24, "sh\0junk".getBytes(StandardCharsets.US_ASCII)).putLong(32, 5).putLong(40, 6);
        KernelRecord record = KernelRecord.of(bytes.array(), OUTER);
        assertThat(record.u8("flag")).isEqualTo(0xfe);
        assertThat(record.u16("port")).isEqualTo(0xbeef);
        assertThat(record.i32("count")).isEqualTo(-7);
        assertThat(record.u32("count")).isEqualTo(0xffff_fff9L);
        assertThat(record.i64("time")).isEqualTo(1L << 40);
        assertThat(record.nested("inner", INNER).i32("b")).isEqualTo(22);
        assertThat(record.string("name", 0, 8)).isEqualTo("sh");
        assertThat(record.i64At("pair", 1)).isEqualTo(6);
        assertThat(KernelRecord.of(bytes.array(), OUTER).i32("count")).as("a second record of the layout").isEqualTo(-7);
    }

    @Test
    void anUnknownFieldAndAShortRecordAreNamed() {
        KernelRecord record = KernelRecord.of(new byte[(int) OUTER.byteSize()], OUTER);
        assertThatThrownBy(() -> record.i32("missing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no field missing in outer");
        assertThatThrownBy(() -> KernelRecord.of(new byte[4], OUTER)).isInstanceOf(MalformedRecordException.class)
                .hasMessage("outer needs 48 bytes, got 4");
    }
}
