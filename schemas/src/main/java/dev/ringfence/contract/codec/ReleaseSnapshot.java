package dev.ringfence.contract.codec;

import dev.ringfence.contract.kafka.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Freezes the current contract as a release: writes the schema of every topic's value type to
 * {@code <resources>/dev/ringfence/contract/released/<version>/} and appends the version to the index.
 * Run when cutting a release: {@code ./ringfence schemas release <version>}.
 */
public final class ReleaseSnapshot {
    private ReleaseSnapshot() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[1].matches("[0-9]+(\\.[0-9]+)*")) {
            System.err.println("usage: ReleaseSnapshot <schemas/src/main/resources> <version, e.g. 0.2>");
            System.exit(2);
        }
        Path released = Path.of(args[0], "dev/ringfence/contract/released");
        Path target = released.resolve(args[1]);
        if (Files.exists(target)) {
            System.err.println("release " + args[1] + " already exists at " + target + "; released schemas are never rewritten");
            System.exit(1);
        }
        Map<String, String> schemasByName = new TreeMap<>();
        for (Topic topic : Topic.values()) {
            Schema schema = SpecificData.get().getSchema(topic.valueType());
            schemasByName.put(schema.getName(), schema.toString(true));
        }
        Files.createDirectories(target);
        for (Map.Entry<String, String> schema : schemasByName.entrySet()) {
            Files.writeString(target.resolve(schema.getKey() + ".avsc"), schema.getValue(), StandardCharsets.UTF_8);
        }
        Files.writeString(released.resolve("index"), args[1] + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("released contract " + args[1] + " -> " + target);
    }
}
