package dev.ringfence.sensor.bench;

import java.nio.file.Path;

/** --json FILE --rounds N --execs N --connections N --decisions N, validated (execs: sensor bench, decisions: enforcement bench). */
record BenchArguments(Path json, int rounds, int execs, int connections, int decisions) {
    static BenchArguments parse(String[] args) {
        return parse(args, 5);
    }

    /** With another default for --rounds (a bench whose rounds are short takes more of them). */
    static BenchArguments parse(String[] args, int defaultRounds) {
        Path json = null;
        int rounds = defaultRounds;
        int execs = 2000;
        int connections = 4000;
        int decisions = 200;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                throw usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--json" -> json = Path.of(args[++i]);
                case "--rounds" -> rounds = positive(args[i], args[++i]);
                case "--execs" -> execs = positive(args[i], args[++i]);
                case "--connections" -> connections = positive(args[i], args[++i]);
                case "--decisions" -> decisions = positive(args[i], args[++i]);
                default -> throw usage("unknown argument '" + args[i] + "'");
            }
        }
        return new BenchArguments(json, rounds, execs, connections, decisions);
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage(option + " must be a positive integer, got '" + text + "'");
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem
                + "\nusage: bench sensor|enforcement [--json FILE] [--rounds N (5 sensor, 15 enforcement)] [--execs N (2000, sensor)] [--connections N (4000)]"
                + " [--decisions N (200, enforcement)]");
    }
}
