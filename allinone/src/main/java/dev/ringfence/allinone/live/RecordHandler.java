package dev.ringfence.allinone.live;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.Event;

/** Receives the records of the pipeline's topics as they arrive; called from the reader's one thread. */
public interface RecordHandler {
    /** From ringfence.events and ringfence.health (the sensors' envelope on both). */
    default void event(Event event) {}

    default void alert(Alert alert) {}

    default void decision(Decision decision) {}

    default void audit(AuditEntry entry) {}
}
