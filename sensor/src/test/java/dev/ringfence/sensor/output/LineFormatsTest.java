package dev.ringfence.sensor.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.codec.RandomRecords;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class LineFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLinesCarryTheSchemaFieldNamesAndTheRecordType() throws Exception {
        RandomRecords random = new RandomRecords(7);
        List<Event> events = IntStream.range(0, 300).mapToObj(i -> random.next(Event.class)).toList();
        List<String> lines = jsonLines(events);
        assertThat(lines).hasSize(events.size());
        Set<String> types = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            JsonNode line = JSON.readTree(lines.get(i));
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
    void theSinksWriteOneLinePerEventInOrderAndOnlyOnFlush() throws Exception {
        RandomRecords random = new RandomRecords(11);
        List<Event> events = IntStream.range(0, 200).mapToObj(i -> random.next(Event.class)).toList();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ByteArrayOutputStream compact = new ByteArrayOutputStream();
        try (StdoutSink jsonSink = StdoutSink.json(json); StdoutSink compactSink = StdoutSink.compact(compact)) {
            events.subList(0, 3).forEach(jsonSink::accept);
            events.subList(0, 3).forEach(compactSink::accept);
            assertThat(json.size() + compact.size()).as("a few lines wait in the buffer until flush").isZero();
            events.subList(3, events.size()).forEach(jsonSink::accept);
            events.subList(3, events.size()).forEach(compactSink::accept);
            jsonSink.flush();
            compactSink.flush();
        }
        String[] jsonText = json.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertThat(jsonText).as("one line per event, each ended by a newline").hasSize(events.size() + 1);
        assertThat(jsonText[events.size()]).isEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(JSON.readTree(jsonText[i]).get("seq").asLong()).isEqualTo(events.get(i).getSeq());
        }
        List<String> compactLines = new ArrayList<>(events.stream().map(CompactLines::format).toList());
        compactLines.add("");
        assertThat(compact.toString(StandardCharsets.UTF_8).split(System.lineSeparator(), -1))
                .containsExactlyElementsOf(compactLines);
    }

    /** What `events --standalone -o json` prints for these events, line by line. */
    private static List<String> jsonLines(List<Event> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StdoutSink sink = StdoutSink.json(bytes)) {
            events.forEach(sink::accept);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
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
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
