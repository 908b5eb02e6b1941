package dev.ringfence.sensor.capture;

import dev.ringfence.sensor.bpf.KernelRecord;
import dev.ringfence.sensor.bpf.MalformedRecordException;
import dev.ringfence.sensor.flow.FlowDecoder;
import dev.ringfence.sensor.host.HostDecoder;
import dev.ringfence.sensor.kernel.BootClock;
import dev.ringfence.sensor.process.ProcessDecoder;
import org.apache.avro.specific.SpecificRecord;

/** Turns one ring-buffer record into the contract payload it describes, by its rf_event_type. */
public final class KernelEventDecoder {
    /** A decoded payload and when the kernel saw it (epoch ns). */
    public record Decoded(EventKind kind, SpecificRecord payload, long timeNs) {}

    private final DecodeContext context;
    private final BootClock clock;

    public KernelEventDecoder(DecodeContext context, BootClock clock) {
        this.context = context;
        this.clock = clock;
    }

    /** @throws MalformedRecordException when the bytes are not a record this sensor knows */
    public Decoded decode(byte[] bytes) {
        EventKind kind = EventKind.ofKernelType(KernelRecord.typeOf(bytes));
        if (kind == null) {
            throw new MalformedRecordException("unknown record type " + KernelRecord.typeOf(bytes) + " (" + bytes.length + " bytes)");
        }
        SpecificRecord payload = switch (kind) {
            case EXEC -> ProcessDecoder.exec(bytes, context);
            case FORK -> ProcessDecoder.fork(bytes, context);
            case EXIT -> ProcessDecoder.exit(bytes, context);
            case FLOW -> FlowDecoder.flow(bytes, context, clock);
            case FILE -> HostDecoder.file(bytes, context);
            case PRIVILEGE -> HostDecoder.privilege(bytes, context);
            case MODULE -> HostDecoder.module(bytes, context);
        };
        long bootNs = KernelHeader.read(KernelRecord.of(bytes, dev.ringfence.sensor.bpf.KernelStructs.FORK), context.node()).timeBootNs();
        return new Decoded(kind, payload, clock.toEpochNanos(bootNs));
    }
}
