package dev.ringfence.feedback.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Command-line words: positionals, {@code --name value} options (repeatable) and {@code --flag}s, all checked against what a command accepts. */
final class Arguments {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<String>> options = new HashMap<>();

    private Arguments() {}

    static Arguments parse(List<String> words, Set<String> valueOptions, Set<String> flags) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("--")) {
                parsed.positionals.add(word);
            } else if (flags.contains(word)) {
                parsed.options.computeIfAbsent(word, k -> new ArrayList<>()).add("true");
            } else if (valueOptions.contains(word)) {
                if (i + 1 >= words.size()) {
                    throw new UsageException(word + " needs a value");
                }
                parsed.options.computeIfAbsent(word, k -> new ArrayList<>()).add(words.get(++i));
            } else {
                throw new UsageException("unknown option " + word);
            }
        }
        return parsed;
    }

    List<String> positionals() {
        return positionals;
    }

    String positional(int index, String what) {
        if (index >= positionals.size()) {
            throw new UsageException("missing " + what);
        }
        return positionals.get(index);
    }

    void requirePositionals(int max) {
        if (positionals.size() > max) {
            throw new UsageException("unexpected argument '" + positionals.get(max) + "'");
        }
    }

    Optional<String> value(String option) {
        List<String> values = options.get(option);
        if (values == null) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new UsageException(option + " given more than once");
        }
        return Optional.of(values.getFirst());
    }

    List<String> values(String option) {
        return options.getOrDefault(option, List.of());
    }

    boolean flag(String flag) {
        return options.containsKey(flag);
    }

    int intValue(String option, int fallback, int min, int max) {
        Optional<String> text = value(option);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < min || value > max) {
                throw new UsageException(option + " must be " + min + ".." + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number, got '" + text.get() + "'");
        }
    }

    /** A wrong command line: print the message and the usage, exit 64. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
