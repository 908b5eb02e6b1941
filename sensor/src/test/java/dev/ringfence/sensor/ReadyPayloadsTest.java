package dev.ringfence.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.EnforcementEventKind;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadyPayloadsTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger wakeUps = new AtomicInteger();
    private final ReadyPayloads ready = new ReadyPayloads(clock::get, wakeUps::incrementAndGet);

    @Test
    void aPayloadCarriesTheTimeItWasMadeNotTheTimeItIsPublished() {
        EnforcementAction applied = action(EnforcementEventKind.APPLIED);
        ready.add(applied);
        clock.set(101_000); // the worker gets to it later

        ReadyPayloads.Ready next = ready.poll();

        assertThat(next.payload()).isSameAs(applied);
        assertThat(next.timeNs()).isEqualTo(1_000);
        assertThat(ready.poll()).isNull();
    }

    @Test
    void everyAdditionWakesTheWorkerAndOrderIsKept() {
        EnforcementAction first = action(EnforcementEventKind.APPLIED);
        EnforcementAction second = action(EnforcementEventKind.HIT);
        ready.add(first);
        clock.set(2_000);
        ready.addAll(List.of(second));

        assertThat(wakeUps.get()).isEqualTo(2);
        assertThat(ready.poll().payload()).isSameAs(first);
        ReadyPayloads.Ready later = ready.poll();
        assertThat(later.payload()).isSameAs(second);
        assertThat(later.timeNs()).isEqualTo(2_000);
    }

    private static EnforcementAction action(EnforcementEventKind kind) {
        return EnforcementAction.newBuilder().setKind(kind).setReason("test").build();
    }
}
