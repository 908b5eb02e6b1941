package dev.ringfence.jobs.ingest;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.ContractDecodingException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Bytes -> Event. Undecodable or invalid records go to {@link DeadLetters#TAG} with the reason, and are counted. */
public final class EventDecoder extends ProcessFunction<RawRecord, Event> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "jobs/ingest";

    private transient ContractCodec<Event> codec;
    private transient Counter decoded;
    private transient Counter undecodable;
    private transient Counter invalid;

    @Override
    public void open(OpenContext context) {
        codec = ContractCodec.of(Event.class);
        var metrics = getRuntimeContext().getMetricGroup().addGroup("ingest");
        decoded = metrics.counter("eventsDecoded");
        undecodable = metrics.counter("eventsUndecodable");
        invalid = metrics.counter("eventsInvalid");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Event> out) {
        Event event;
        try {
            event = codec.decode(raw.value);
        } catch (ContractDecodingException e) {
            undecodable.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, "undecodable: " + e.getMessage(), raw));
            return;
        }
        String problem = EventValidator.problemWith(event);
        if (problem != null) {
            invalid.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, "invalid: " + problem, raw));
            return;
        }
        decoded.inc();
        out.collect(event);
    }
}
