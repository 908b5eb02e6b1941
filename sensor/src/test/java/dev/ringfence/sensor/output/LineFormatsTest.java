package dev.ringfence.sensor.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.codec.RandomRecords;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class LineFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLinesCarryTheSchemaFieldNamesAndTheRecordType() throws Exception {
        RandomRecords random = new RandomRecords(7);
        Set<String> types = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Event event = random.next(Event.class);
            JsonNode line = JSON.readTree(JsonLines.format(event));
            Schema payloadSchema = ((SpecificRecord) event.getPayload()).getSchema();
            assertThat(line.get("type").asText()).isEqualTo(payloadSchema.getName());
            assertThat(line.get("node").asText()).isEqualTo(event.getNode());
            assertThat(line.get("seq").asLong()).isEqualTo(event.getSeq());
            assertThat(line.get("time_ns").asLong()).isEqualTo(event.getTimeNs());
            assertThat(names(line.get("payload"))).isEqualTo(payloadSchema.getFields().stream().map(Schema.Field::name).toList());
            types.add(payloadSchema.getName());
        }
        assertThat(types).as("every payload type of the Event union was formatted")
                .hasSize(Event.getClassSchema().getField("payload").schema().getTypes().size());
    }

    @Test
    void theSinksWriteTheFormattedLinesOnePerEventAndOnlyOnFlush() {
        RandomRecords random = new RandomRecords(11);
        List<Event> events = java.util.stream.IntStream.range(0, 200).mapToObj(i -> random.next(Event.class)).toList();
        java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream compact = new java.io.ByteArrayOutputStream();
        try (StdoutSink jsonSink = StdoutSink.json(json); StdoutSink compactSink = StdoutSink.compact(compact)) {
            events.subList(0, 3).forEach(jsonSink::accept);
            events.subList(0, 3).forEach(compactSink::accept);
            assertThat(json.size() + compact.size()).as("a few lines wait in the buffer until flush").isZero();
            events.subList(3, events.size()).forEach(jsonSink::accept);
            events.subList(3, events.size()).forEach(compactSink::accept);
            jsonSink.flush();
            compactSink.flush();
        }
        assertThat(json.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n", -1))
                .containsExactlyElementsOf(lines(events.stream().map(JsonLines::format).toList()));
        assertThat(compact.toString(java.nio.charset.StandardCharsets.UTF_8).split(System.lineSeparator(), -1))
                .containsExactlyElementsOf(lines(events.stream().map(CompactLines::format).toList()));
    }

    /** The lines as a file holds them: each ends with a newline, so the text splits into them and an empty tail. */
    private static List<String> lines(List<String> formatted) {
        List<String> lines = new java.util.ArrayList<>(formatted);
        lines.add("");
        return lines;
    }

    @Test
    void compactLinesAreOneReadableLinePerEvent() {
        RandomRecords random = new RandomRecords(11);
        for (int i = 0; i < 300; i++) {
            String line = CompactLines.format(random.next(Event.class));
            assertThat(line).isNotBlank().doesNotContain("\n").doesNotStartWith("❔");
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
