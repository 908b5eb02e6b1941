package dev.ringfence.contract.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The schemas of earlier releases, kept in the jar under {@code released/<version>/<Name>.avsc}
 * (listed in {@code released/index}, oldest first). They let a codec read what older producers wrote,
 * and the compatibility test hold every change to the contract against them.
 */
public final class ReleasedSchemas {
    private static final String ROOT = "/dev/ringfence/contract/released/";

    private ReleasedSchemas() {}

    /** Release versions, oldest first. */
    public static List<String> versions() {
        String index = read(ROOT + "index");
        List<String> versions = new ArrayList<>();
        for (String line : index.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                versions.add(line.strip());
            }
        }
        return versions;
    }

    /** A released schema of a top-level record, or null if that release did not have it. */
    public static Schema find(String version, String simpleName) {
        String path = ROOT + version + "/" + simpleName + ".avsc";
        try (InputStream in = ReleasedSchemas.class.getResourceAsStream(path)) {
            return in == null ? null : new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read released schema " + path, e);
        }
    }

    /** Every released schema of one record type (by full name), oldest first. */
    public static List<Schema> versionsOf(String fullName) {
        String simpleName = fullName.substring(fullName.lastIndexOf('.') + 1);
        List<Schema> schemas = new ArrayList<>();
        for (String version : versions()) {
            Schema schema = find(version, simpleName);
            if (schema != null) {
                schemas.add(schema);
            }
        }
        return schemas;
    }

    private static String read(String path) {
        try (InputStream in = ReleasedSchemas.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " in the schemas jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
