package dev.ringfence.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.jobs.scenario.ShopCluster;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
    private final ContractCodec<Event> codec = ContractCodec.of(Event.class);

    private List<DeadLetter> deadLetters(org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness<RawRecord,
            Event> harness) {
        return harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void validEventsPassAndEverythingElseIsADeadLetterWithItsReason() throws Exception {
        List<Event> events = new ShopCluster().startup().script.events();
        Event exec = events.stream().filter(e -> e.getPayload() instanceof ProcessExec).findFirst().orElseThrow();
        Event wrongNode = Event.newBuilder(exec).setNode("node-z").build();
        Event relativeBinary = Event.newBuilder(exec).setPayload(ProcessExec.newBuilder((ProcessExec) exec.getPayload())
                .setBinary("batch").build()).build();

        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new EventDecoder())) {
            harness.processElement(new RawRecord("t", 0, 1, null, codec.encode(exec)), 0);
            harness.processElement(new RawRecord("t", 0, 2, "k".getBytes(StandardCharsets.UTF_8),
                    "garbage".getBytes(StandardCharsets.UTF_8)), 0);
            harness.processElement(new RawRecord("t", 1, 3, null, null), 0);
            harness.processElement(new RawRecord("t", 1, 4, null, codec.encode(wrongNode)), 0);
            harness.processElement(new RawRecord("t", 1, 5, null, codec.encode(relativeBinary)), 0);

            assertThat(harness.extractOutputValues()).containsExactly(exec);
            List<DeadLetter> dead = deadLetters(harness);
            assertThat(dead).extracting(DeadLetter::getSourceOffset).containsExactly(2L, 3L, 4L, 5L);
            assertThat(dead).allSatisfy(d -> assertThat(d.getStage()).isEqualTo("jobs/ingest"));
            assertThat(dead.get(0).getReason()).startsWith("undecodable: not Avro single-object encoding");
            assertThat(dead.get(0).getKey().array()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
            assertThat(dead.get(1).getReason()).startsWith("undecodable: no bytes");
            assertThat(dead.get(2).getReason()).contains("exec_id").contains("node-z");
            assertThat(dead.get(3).getReason()).contains("binary 'batch' is not an absolute path");
        }
    }
}
