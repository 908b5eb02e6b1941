package dev.ringfence.allinone.demo;

import dev.ringfence.allinone.up.UpOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@code ./ringfence demo}: a subcommand ({@code run} when none is given) and its options,
 * validated with messages that say what to type instead.
 */
record DemoOptions(String command, List<String> scenarios, boolean observe, Path summaryJson, boolean json, Path stateDir,
                   String target, List<String> execCommand, boolean help) {
    static final List<String> SCENARIOS = List.of("shell", "chain", "exfil", "scan");
    static final String USAGE = """
            usage: ringfence demo [--scenario NAME] [--observe] [--summary-json FILE] [--state-dir DIR]
                   ringfence demo up [--observe] [--state-dir DIR]
                   ringfence demo exec NAMESPACE/POD -- COMMAND [ARG...]
                   ringfence demo alerts [--json]
                   ringfence demo down
              (no subcommand)      builds the demo cluster, runs the attack scenarios against the real pipeline,
                                   prints each step and a summary, removes everything
              --scenario NAME      run one scenario: shell, chain, exfil or scan (default: all, in that order)
              --observe            decisions are dry runs: detected, not contained
              --summary-json FILE  also write the summary as JSON
              up                   build the demo cluster and leave it running with the whole pipeline (Ctrl-C stops it)
              exec NS/POD -- CMD   run CMD inside a pod (its cgroup and network namespace), exit code passed through
              alerts [--json]      the alerts, decisions and enforcement actions of the running demo
              down                 stop a running 'demo up' and remove every demo namespace, cgroup and link
              --state-dir DIR      default: $RINGFENCE_STATE_DIR, else .ringfence/state (the demo uses DIR/demo)
            """;

    static DemoOptions parse(String[] args) {
        return parse(args, System.getenv(UpOptions.STATE_DIR_ENV));
    }

    static DemoOptions parse(String[] args, String stateDirFromEnvironment) {
        Path stateDir = stateDirFromEnvironment == null || stateDirFromEnvironment.isBlank() ? Path.of(".ringfence", "state")
                : Path.of(stateDirFromEnvironment);
        String command = "run";
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("-")) {
            command = args[0];
            i = 1;
            if (!List.of("up", "exec", "alerts", "down").contains(command)) {
                throw new IllegalArgumentException("unknown subcommand '" + command + "' (up, exec, alerts, down, or none to run the scenarios)");
            }
        }
        List<String> scenarios = new ArrayList<>(SCENARIOS);
        boolean observe = false;
        boolean json = false;
        boolean help = false;
        Path summary = null;
        String target = null;
        List<String> execCommand = List.of();
        if (command.equals("exec")) {
            if (i >= args.length || args[i].startsWith("-")) {
                throw new IllegalArgumentException("exec needs NAMESPACE/POD, e.g. demo exec shop/api -- id");
            }
            target = args[i++];
            if (!target.matches("[a-z0-9-]+/[a-z0-9-]+")) {
                throw new IllegalArgumentException("exec: '" + target + "' is not NAMESPACE/POD, e.g. shop/api");
            }
            if (i >= args.length || !args[i].equals("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("exec " + target + ": give the command after --, e.g. demo exec " + target + " -- id");
            }
            execCommand = List.of(args).subList(i + 1, args.length);
            return new DemoOptions(command, List.of(), false, null, false, stateDir, target, List.copyOf(execCommand), false);
        }
        for (; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--scenario" -> {
                    requireCommand(command, option, "run");
                    String name = value(args, ++i, option);
                    if (!SCENARIOS.contains(name)) {
                        throw new IllegalArgumentException("--scenario: unknown scenario '" + name + "' (one of " + String.join(", ", SCENARIOS) + ")");
                    }
                    scenarios = List.of(name);
                }
                case "--observe" -> {
                    requireCommand(command, option, "run", "up");
                    observe = true;
                }
                case "--summary-json" -> {
                    requireCommand(command, option, "run");
                    summary = Path.of(value(args, ++i, option));
                }
                case "--json" -> {
                    requireCommand(command, option, "alerts");
                    json = true;
                }
                case "--state-dir" -> stateDir = Path.of(value(args, ++i, option));
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new DemoOptions(command, List.copyOf(scenarios), observe, summary, json, stateDir, target, execCommand, help);
    }

    /** Where the demo keeps its stack, cluster state, scripts and logs. */
    Path demoDir() {
        return stateDir.resolve("demo").toAbsolutePath();
    }

    private static void requireCommand(String command, String option, String... allowed) {
        if (!List.of(allowed).contains(command)) {
            throw new IllegalArgumentException(option + " does not go with 'demo " + command + "'");
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
