package dev.ringfence.allinone.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of {@code ./ringfence bench e2e} (the benchmark's entry point is in the test classes). */
public final class DemoBench {
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux
    private static final long ROUND_MS = 13_000;

    private DemoBench() {}

    public static Map<String, Object> run(Path demoDir, int rounds, PrintStream out) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        DemoStack demo = new DemoStack(demoDir, out, false);
        Thread hook = new Thread(demo::close, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            demo.start();
            demo.awaitLearning();
            demo.say("idle: 10 s with the benign traffic only");
            long[] before = stackCpuTicks();
            long start = System.nanoTime();
            Thread.sleep(10_000);
            long[] after = stackCpuTicks();
            double seconds = (System.nanoTime() - start) / 1e9;
            figures.put("stack_rss_mb", Math.round(stackRssKb() / 1024.0));
            figures.put("stack_cpu_percent_idle", Math.round(1000.0 * (after[0] - before[0]) / CLOCK_TICKS / seconds) / 10.0);
            demo.say("baseline: one record through the stack's broker, producer to consumer");
            List<Double> hops = KafkaHop.measure(demo.stack.bootstrap(), 50, 200);
            putPercentiles(figures, "kafka_hop", hops);
            Scenarios scenarios = new Scenarios(demo, false);
            Map<String, List<Double>> latencies = new LinkedHashMap<>();
            Map<String, List<Double>> legs = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                // the feedback service allows 10 decisions a minute per workload (safety rail): a round makes
                // about two for api (the exfiltration's block and the new egress edge's), so rounds are paced
                long roundStart = System.currentTimeMillis();
                record(latencies, legs, scenarios.run("shell"));
                String destination = "203.0.113." + (100 + round);
                DemoCluster.addOutsideAddress(destination);
                record(latencies, legs, scenarios.exfil(destination));
                long pause = roundStart + ROUND_MS - System.currentTimeMillis();
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
            record(latencies, legs, scenarios.run("chain"));
            record(latencies, legs, scenarios.run("scan"));
            List<Double> all = new ArrayList<>();
            for (var entry : latencies.entrySet()) {
                List<Double> values = entry.getValue();
                figures.put(entry.getKey() + "_runs", values.size());
                putPercentiles(figures, entry.getKey() + "_containment", values);
                if (killOrBlock(entry.getKey())) {
                    all.addAll(values);
                }
            }
            putPercentiles(figures, "containment", all);
            legs.forEach((leg, values) -> putPercentiles(figures, leg, values));
            figures.put("load_average_1m", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            figures.put("error", e.toString());
        } finally {
            demo.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        return figures;
    }

    /** Kill and block through the Flink path; the scan's isolation, after a sweep, is reported on its own. */
    private static boolean killOrBlock(String scenario) {
        return !scenario.equals("scan");
    }

    /** {@code <prefix>_p50_ms} and {@code <prefix>_p99_ms}. */
    private static void putPercentiles(Map<String, Object> figures, String prefix, List<Double> values) {
        figures.put(prefix + "_p50_ms", percentile(values, 50));
        figures.put(prefix + "_p99_ms", percentile(values, 99));
    }

    /** A run's latency under its scenario; for kill and block also its path's legs. */
    private static void record(Map<String, List<Double>> latencies, Map<String, List<Double>> legs, Scenarios.Result result) {
        List<Double> values = latencies.computeIfAbsent(result.name(), name -> new ArrayList<>());
        if (result.contained() && result.latencyMs() != null) {
            values.add(result.latencyMs());
        }
        if (result.path() != null && killOrBlock(result.name())) {
            result.path().legs().forEach((leg, ms) -> legs.computeIfAbsent(leg, name -> new ArrayList<>()).add(ms));
        }
    }

    /** Nearest-rank percentile, rounded to 0.1 ms; null without samples. */
    static Double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Math.round(sorted.get(Math.max(0, rank - 1)) * 10.0) / 10.0;
    }

    /** This JVM and its descendants (the Kafka broker): user+system ticks. */
    private static long[] stackCpuTicks() throws IOException {
        long ticks = 0;
        for (ProcessHandle process : stack()) {
            Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
            if (Files.exists(stat)) {
                String text = Files.readString(stat);
                String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
        }
        return new long[] {ticks};
    }

    private static long stackRssKb() throws IOException {
        long kb = 0;
        for (ProcessHandle process : stack()) {
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            if (Files.exists(status)) {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        return kb;
    }

    /** The stack's processes: this JVM and its Java children (the demo's pods run elsewhere, in their cgroups). */
    private static List<ProcessHandle> stack() {
        List<ProcessHandle> processes = new ArrayList<>(List.of(ProcessHandle.current()));
        ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).forEach(processes::add);
        return processes;
    }
}
