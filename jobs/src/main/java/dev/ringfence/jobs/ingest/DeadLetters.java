package dev.ringfence.jobs.ingest;

import dev.ringfence.contract.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;

/** The side output every stage uses for what it cannot use. */
public final class DeadLetters {
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private DeadLetters() {}

    public static DeadLetter of(String stage, String reason, RawRecord raw) {
        return DeadLetter.newBuilder()
                .setTimeNs(System.currentTimeMillis() * 1_000_000L)
                .setStage(stage)
                .setReason(reason)
                .setSourceTopic(raw.topic)
                .setSourcePartition(raw.partition)
                .setSourceOffset(raw.offset)
                .setKey(raw.key == null ? null : ByteBuffer.wrap(raw.key))
                .setPayload(ByteBuffer.wrap(raw.value == null ? new byte[0] : raw.value))
                .build();
    }
}
