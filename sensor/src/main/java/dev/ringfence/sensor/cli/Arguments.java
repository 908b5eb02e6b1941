package dev.ringfence.sensor.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** "--name value" options and "--flag" switches, checked against what a command accepts. */
final class Arguments {
    private final Map<String, List<String>> options = new HashMap<>();

    private Arguments() {}

    static Arguments parse(List<String> args, Set<String> valued, Set<String> flags) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (flags.contains(arg)) {
                parsed.options.computeIfAbsent(arg, key -> new ArrayList<>()).add("true");
            } else if (valued.contains(arg)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(arg + " needs a value");
                }
                parsed.options.computeIfAbsent(arg, key -> new ArrayList<>()).add(args.get(++i));
            } else {
                throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        return parsed;
    }

    boolean has(String flag) {
        return options.containsKey(flag);
    }

    Optional<String> value(String option) {
        List<String> values = options.getOrDefault(option, List.of());
        if (values.size() > 1) {
            throw new UsageException(option + " given more than once");
        }
        return values.stream().findFirst();
    }

    List<String> values(String option) {
        return options.getOrDefault(option, List.of());
    }

    static int port(String option, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a port number 1..65535, got '" + text + "'");
        }
    }
}
