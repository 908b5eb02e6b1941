package dev.ringfence.jobs.state;

import java.time.Duration;
import java.util.Iterator;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * Every keyed state has a TTL so memory stays bounded; these are the expiry styles the job uses.
 *
 * <p>State whose value per key stays small is cleaned in the background (the heap backend's incremental
 * cleanup, RocksDB's compaction filter). A map that holds a whole node's entries under one key (process tree,
 * flows, pending connections) must not be: the heap backend's incremental cleanup deep-copies every value of each
 * map it visits, on every access, which for a few large node maps is the whole state per record. Such maps
 * ({@code swept...}) are cleaned by their operator's periodic sweep instead (iterating a TTL map drops its
 * expired entries) and by RocksDB's compaction filter; reads never see an expired entry either way.
 */
public final class StateTtl {
    /** Entries RocksDB's compaction filter reads before it refreshes the current time (Flink's default). */
    private static final long COMPACTION_QUERY_TIME_AFTER = 1_000;

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

    /** {@link #afterWrite} for a large per-key map that its operator sweeps. */
    public static <K, V> MapStateDescriptor<K, V> sweptAfterWrite(MapStateDescriptor<K, V> descriptor, long ttlMs) {
        descriptor.enableTimeToLive(sweptBy(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))));
        return descriptor;
    }

    /** {@link #afterAccess} for a large per-key map that its operator sweeps. */
    public static <K, V> MapStateDescriptor<K, V> sweptAfterAccess(MapStateDescriptor<K, V> descriptor, long ttlMs) {
        descriptor.enableTimeToLive(sweptBy(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
                .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)));
        return descriptor;
    }

    /**
     * One sweep of a {@code swept...} map for the current key: its iterator removes the expired entries it passes.
     * A map left empty is cleared, because removing through the iterator leaves the key's empty map behind.
     */
    public static void sweep(MapState<?, ?> map) throws Exception {
        boolean left = false;
        for (Iterator<?> entries = map.iterator(); entries.hasNext(); ) {
            entries.next();
            left = true;
        }
        if (!left) {
            map.clear();
        }
    }

    /**
     * When to sweep a {@code swept...} map with the given TTL next, as a processing-time timer (the TTL's clock):
     * after everything written until {@code nowMs} has expired, on a grid of one TTL period, so a key has at most a
     * couple of sweep timers however often it is written.
     */
    public static long nextSweepAt(long nowMs, long ttlMs) {
        return (nowMs / ttlMs + 2) * ttlMs;
    }

    private static StateTtlConfig sweptBy(StateTtlConfig.Builder builder) {
        return builder.disableCleanupInBackground().cleanupInRocksdbCompactFilter(COMPACTION_QUERY_TIME_AFTER).build();
    }
}
