package dev.ringfence.jobs.state;

import java.time.Duration;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/** Every keyed state has a TTL so memory stays bounded; these are the two expiry styles the job uses. */
public final class StateTtl {
    private StateTtl() {}

    /** Forgotten when not written for {@code ttlMs} (windows, pending joins, open storylines). */
    public static <S extends StateDescriptor<?, ?>> S afterWrite(S descriptor, long ttlMs) {
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs)).build());
        return descriptor;
    }

    /** Forgotten when neither read nor written for {@code ttlMs} (baselines, long-lived processes). */
    public static <S extends StateDescriptor<?, ?>> S afterAccess(S descriptor, long ttlMs) {
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
                .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite).build());
        return descriptor;
    }
}
