package dev.ringfence.allinone.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.allinone.demo.DemoBench;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./ringfence bench e2e [--json FILE] [--rounds N] [--state-dir DIR]}: the demo cluster on the real stack
 * (enforce), attack-to-containment latency per scenario over repeated runs, and the stack's resident memory and CPU
 * at idle (benign traffic only). Shell (kill) and exfiltration (block, a fresh destination each round) repeat;
 * the chain and the scan run once at the end, because the block and the isolation they cause stay in force.
 */
public final class EndToEndBench {
    private EndToEndBench() {}

    public static void main(String[] args) throws Exception {
        Path json = null;
        int rounds = 10;
        Path state = Path.of(System.getenv().getOrDefault("RINGFENCE_STATE_DIR", ".ringfence/state"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--state-dir" -> state = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ringfence bench e2e [--json FILE] [--rounds N] [--state-dir DIR]");
                    System.exit(2);
                }
            }
        }
        Map<String, Object> figures = DemoBench.run(state.resolve("demo").toAbsolutePath(), rounds, System.out);
        figures.put("class_cache", classCache(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println();
        figures.forEach((key, value) -> System.out.println(key + " = " + value));
        if (json != null) {
            Files.writeString(json, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(new LinkedHashMap<>(figures)) + "\n",
                    StandardCharsets.UTF_8);
        }
        System.exit(figures.containsKey("error") ? 1 : 0);
    }

    /**
     * How the launcher (aot-cache.sh) started this JVM as to its ahead-of-time class cache: "cache" with one,
     * "recording" one (a first start after a build), or "none".
     */
    static String classCache(List<String> jvmArguments) {
        if (jvmArguments.stream().anyMatch(argument -> argument.startsWith("-XX:AOTCache="))) {
            return "cache";
        }
        return jvmArguments.contains("-XX:AOTMode=record") ? "recording" : "none";
    }
}
