package dev.ringfence.contract.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.kafka.Topic;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract only changes compatibly in both directions: new readers read old records, and old
 * readers read new records (consumers upgrade at their own pace).
 */
class ReleasedCompatibilityTest {

    @ParameterizedTest
    @EnumSource(Topic.class)
    void currentSchemaIsFullyCompatibleWithEveryRelease(Topic topic) {
        Schema current = SpecificData.get().getSchema(topic.valueType());
        List<String> checked = new ArrayList<>();
        for (String version : ReleasedSchemas.versions()) {
            Schema released = ReleasedSchemas.find(version, current.getName());
            if (released == null) {
                continue; // the type is newer than this release
            }
            assertCompatible("read " + version + " records with the current schema", current, released);
            assertCompatible("read current records with the " + version + " schema", released, current);
            checked.add(version);
        }
        assertThat(checked).as("the first release is every later schema's baseline").contains(ReleasedSchemas.versions().getFirst());
    }

    @Test
    void theCheckRejectsARequiredFieldAddedWithoutDefault() {
        Schema released = ReleasedSchemas.find(ReleasedSchemas.versions().getFirst(), "Decision");
        String json = released.toString().replaceFirst("\"fields\"\\s*:\\s*\\[",
                "\"fields\":[{\"name\":\"approver\",\"type\":\"string\"},");
        Schema broken = new Schema.Parser().parse(json);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static void assertCompatible(String what, Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as(what + ": " + result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
}
