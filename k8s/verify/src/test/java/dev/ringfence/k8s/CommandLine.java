package dev.ringfence.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A container's args: leading words (subcommands), then --option value pairs. */
record CommandLine(List<String> words, Map<String, String> options) {
    static CommandLine of(JsonNode args) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i).asText();
            if (!arg.startsWith("--")) {
                if (!options.isEmpty()) {
                    throw new AssertionError("a bare word after the options: " + arg);
                }
                words.add(arg);
            } else {
                boolean valued = i + 1 < args.size() && !args.get(i + 1).asText().startsWith("--");
                options.put(arg, valued ? args.get(++i).asText() : "");
            }
        }
        return new CommandLine(words, options);
    }

    String option(String name) {
        String value = options.get(name);
        if (value == null || value.isEmpty()) {
            throw new AssertionError("no value for " + name + " in " + options);
        }
        return value;
    }
}
