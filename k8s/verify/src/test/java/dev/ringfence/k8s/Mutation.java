package dev.ringfence.k8s;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringfence.k8s.render.Resource;
import dev.ringfence.k8s.render.YamlDocuments;
import java.util.function.Consumer;

/** A deliberately broken copy of a valid object: the rejection tests prove the validators can say no. */
record Mutation(String description, Consumer<ObjectNode> change) {
    /** Renames the last key of {@code pointer} (a typo in a field name). */
    static Mutation rename(String pointer, String newKey) {
        return new Mutation("typo " + pointer + " -> " + newKey, body -> {
            JsonPointer path = JsonPointer.compile(pointer);
            ObjectNode parent = (ObjectNode) body.at(path.head());
            JsonNode value = parent.remove(path.last().getMatchingProperty());
            if (value == null) {
                throw new IllegalArgumentException("nothing at " + pointer);
            }
            parent.set(newKey, value);
        });
    }

    /** Replaces the value at {@code pointer} with a YAML literal (a wrong type or a bad enum value). */
    static Mutation set(String pointer, String yamlValue) {
        return new Mutation("set " + pointer + " = " + yamlValue, body -> {
            JsonPointer path = JsonPointer.compile(pointer);
            JsonNode parent = body.at(path.head());
            JsonNode value = YamlDocuments.parseValue(yamlValue);
            if (parent instanceof ObjectNode object) {
                object.set(path.last().getMatchingProperty(), value);
            } else if (parent instanceof ArrayNode array) {
                array.set(path.last().getMatchingIndex(), value);
            } else {
                throw new IllegalArgumentException("no parent at " + pointer);
            }
        });
    }

    /** Removes the value at {@code pointer} (a missing required field). */
    static Mutation remove(String pointer) {
        return new Mutation("remove " + pointer, body -> {
            JsonPointer path = JsonPointer.compile(pointer);
            if (((ObjectNode) body.at(path.head())).remove(path.last().getMatchingProperty()) == null) {
                throw new IllegalArgumentException("nothing at " + pointer);
            }
        });
    }

    Resource applyTo(Resource valid) {
        ObjectNode copy = valid.body().deepCopy();
        change.accept(copy);
        return new Resource(copy, valid.origin() + " (" + description + ")");
    }

    @Override
    public String toString() {
        return description;
    }
}
