package dev.ringfence.contract.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Fills every field of any contract record with random values, taking a given branch of the top union when asked. */
public final class RandomRecords {
    private final Random random;

    public RandomRecords(long seed) {
        random = new Random(seed);
    }

    public <T extends SpecificRecord> T next(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        return type.cast(SpecificData.get().deepCopy(schema, generate(schema, 0)));
    }

    /** A generic record of the schema; the field named {@code unionField} takes branch {@code branch}. */
    public GenericData.Record withBranch(Schema schema, String unionField, int branch) {
        GenericData.Record record = (GenericData.Record) generate(schema, 0);
        Schema union = schema.getField(unionField).schema();
        record.put(unionField, generate(union.getTypes().get(branch), 1));
        return record;
    }

    private Object generate(Schema schema, int depth) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), generate(field.schema(), depth + 1));
                }
                yield record;
            }
            case UNION -> {
                List<Schema> types = schema.getTypes();
                yield generate(types.get(random.nextInt(types.size())), depth);
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(depth > 4 ? 1 : 4); i > 0; i--) {
                    list.add(generate(schema.getElementType(), depth + 1));
                }
                yield new GenericData.Array<>(schema, list);
            }
            case MAP -> {
                Map<String, Object> map = new HashMap<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    map.put(text(), generate(schema.getValueType(), depth + 1));
                }
                yield map;
            }
            case ENUM -> new GenericData.EnumSymbol(schema,
                    schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case STRING -> text();
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(32)];
                random.nextBytes(bytes);
                yield ByteBuffer.wrap(bytes);
            }
            case INT -> random.nextInt();
            case LONG -> random.nextLong();
            case DOUBLE -> random.nextDouble();
            case FLOAT -> random.nextFloat();
            case BOOLEAN -> random.nextBoolean();
            case NULL -> null;
            case FIXED -> {
                byte[] bytes = new byte[schema.getFixedSize()];
                random.nextBytes(bytes);
                yield new GenericData.Fixed(schema, bytes);
            }
        };
    }

    private String text() {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i >= 0; i--) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        if (random.nextInt(8) == 0) {
            text.append("é/≠"); // non-ASCII must survive too
        }
        return text.toString();
    }
}
