package dev.ringfence.sensor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * ./ringfence bench sensor [--json FILE] [--rounds N] [--execs N] [--connections N]
 *
 * Whole-process benchmark: an exec storm and a sequential TCP connect+transfer storm, each timed
 * without a tracer (baseline), with the sensor, and with the peer a user would otherwise run
 * (libbpf-tools execsnoop / tcplife). Rounds interleave the three in rotating order; every ratio is
 * the median of per-round ratios against that round's baseline. Also: events lost, records to user
 * space per packet of a bulk transfer (in-kernel aggregation), the sensor's RSS as deployed (publishing to a broker)
 * and standalone, its idle CPU, and its own
 * CPU per exec and per connection of the storms (user space: decoding, identity, output).
 */
public final class SensorBench {
    private enum Setup { BASELINE, SENSOR, PEER }

    private static final ObjectMapper JSON = new ObjectMapper();
    // above the ephemeral range (32768-60999), so storm client ports never hold them
    private static final int TCP_PORT = 61311;
    private static final int BULK_PORT = 61312;
    private static final int BULK_MEGABYTES = 256;
    private static final int IDLE_SECONDS = 10;
    /** Longer than the sensor's poll of the ring (100 ms) and its decoding of a storm's backlog. */
    private static final long SETTLE_MILLIS = 500;
    /** How the sensor runs on a node: the same options as the launcher and the container image. */
    static final List<String> SENSOR_JVM = JvmOptions.read("/jvm/sensor.options");

    private final Path work;
    private final Path scripts;
    private final int execs;
    private final int connections;

    private SensorBench(Path work, int execs, int connections) {
        this.work = work;
        this.scripts = Workload.extractScripts(work.resolve("scripts"));
        this.execs = execs;
        this.connections = connections;
    }

    public static void main(String[] args) throws IOException {
        BenchArguments arguments = BenchArguments.parse(args);
        Path work = Files.createTempDirectory("ringfence-bench-");
        System.err.println("method: " + CpuSplit.describe() + "; rounds rotate baseline / sensor / peer tools");
        SensorBench bench = new SensorBench(work, arguments.execs(), arguments.connections());
        Map<String, Double> results = bench.run(arguments.rounds());
        results.forEach((key, value) -> System.out.printf("%-28s %s%n", key, format(value)));
        if (arguments.json() != null) {
            ObjectNode json = JSON.createObjectNode();
            results.forEach(json::put);
            Files.writeString(arguments.json(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        }
    }

    private Map<String, Double> run(int rounds) {
        Workload exec = Workload.execStorm(execs);
        Workload tcp = Workload.tcpStorm(scripts, connections, TCP_PORT);
        List<Double> execRatios = new ArrayList<>();
        List<Double> tcpRatios = new ArrayList<>();
        List<Double> execCpuRatios = new ArrayList<>();
        List<Double> tcpCpuRatios = new ArrayList<>();
        List<Double> peerExecRatios = new ArrayList<>();
        List<Double> peerTcpRatios = new ArrayList<>();
        List<Double> sensorCpuPerExec = new ArrayList<>();
        List<Double> sensorCpuPerConnection = new ArrayList<>();
        double lost = 0;
        double rss = 0;
        for (int round = 0; round < rounds; round++) {
            Map<Setup, Workload.Timing> execTimes = new EnumMap<>(Setup.class);
            Map<Setup, Workload.Timing> tcpTimes = new EnumMap<>(Setup.class);
            for (int i = 0; i < Setup.values().length; i++) {
                Setup setup = Setup.values()[(i + round) % Setup.values().length];
                Path output = work.resolve("round-" + round + "-" + setup + ".out");
                switch (setup) {
                    case BASELINE -> {
                        execTimes.put(setup, exec.run());
                        tcpTimes.put(setup, tcp.run());
                    }
                    case SENSOR -> {
                        try (Tracer sensor = startSensor(output)) {
                            double started = sensor.cpuSeconds();
                            execTimes.put(setup, exec.run());
                            double afterExecs = settledCpuSeconds(sensor);
                            tcpTimes.put(setup, tcp.run());
                            double afterConnections = settledCpuSeconds(sensor);
                            rss = Math.max(rss, sensor.rssMegabytes());
                            sensorCpuPerExec.add((afterExecs - started) / execs * 1e6);
                            sensorCpuPerConnection.add((afterConnections - afterExecs) / connections * 1e6);
                        }
                        lost += lostEvents(output);
                    }
                    case PEER -> {
                        try (Tracer ignored = startPeer("execsnoop", output, "PCOMM")) {
                            execTimes.put(setup, exec.run());
                        }
                        try (Tracer ignored = startPeer("tcplife", output, "PID")) {
                            tcpTimes.put(setup, tcp.run());
                        }
                    }
                }
            }
            execRatios.add(execTimes.get(Setup.SENSOR).wallSeconds() / execTimes.get(Setup.BASELINE).wallSeconds());
            tcpRatios.add(tcpTimes.get(Setup.SENSOR).wallSeconds() / tcpTimes.get(Setup.BASELINE).wallSeconds());
            execCpuRatios.add(execTimes.get(Setup.SENSOR).cpuSeconds() / execTimes.get(Setup.BASELINE).cpuSeconds());
            tcpCpuRatios.add(tcpTimes.get(Setup.SENSOR).cpuSeconds() / tcpTimes.get(Setup.BASELINE).cpuSeconds());
            peerExecRatios.add(execTimes.get(Setup.PEER).wallSeconds() / execTimes.get(Setup.BASELINE).wallSeconds());
            peerTcpRatios.add(tcpTimes.get(Setup.PEER).wallSeconds() / tcpTimes.get(Setup.BASELINE).wallSeconds());
            System.err.printf("round %d: exec %s tcp %s%n", round, execTimes, tcpTimes);
        }
        Map<String, Double> results = new java.util.LinkedHashMap<>();
        results.put("exec_overhead_ratio", median(execRatios));
        results.put("tcp_overhead_ratio", median(tcpRatios));
        results.put("exec_cpu_overhead_ratio", median(execCpuRatios));
        results.put("tcp_cpu_overhead_ratio", median(tcpCpuRatios));
        results.put("peer_exec_overhead_ratio", median(peerExecRatios));
        results.put("peer_tcp_overhead_ratio", median(peerTcpRatios));
        results.put("lost_events", lost);
        results.put("aggregation_factor", aggregationFactor());
        results.put("rss_mb", deployedRssMegabytes(exec, tcp));
        results.put("standalone_rss_mb", rss);
        results.put("cpu_percent_idle", idleCpuPercent());
        results.put("sensor_cpu_us_per_exec", median(sensorCpuPerExec));
        results.put("sensor_cpu_us_per_connection", median(sensorCpuPerConnection));
        results.put("rounds", (double) rounds);
        results.put("execs_per_round", (double) execs);
        results.put("connections_per_round", (double) connections);
        return results;
    }

    /** The sensor in standalone mode, its records as JSON lines in {@code output} (events lost, aggregation). */
    private Tracer startSensor(Path output) {
        return startSensor(output, List.of("events", "--standalone", "-o", "json"));
    }

    private Tracer startSensor(Path output, List<String> mode) {
        Path config = work.resolve("sensor.properties");
        try {
            Files.writeString(config, "health.interval = 1s\nrun.dir = " + work.resolve("sensor") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(SENSOR_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ringfence.sensor.cli.SensorCli"));
        command.addAll(mode);
        command.addAll(List.of("--node", "bench", "--config", config.toString()));
        return Tracer.start(CpuSplit.tracer(command), output, Path.of(output + ".err"), text -> text.contains("sensor started"));
    }

    /**
     * The sensor as a node runs it, publishing Avro to a broker: its RSS once it has carried one exec and one TCP
     * storm. Its Kafka producer and the protocol classes the clients load make it larger than the standalone sensor
     * the rounds time, which prints JSON lines instead.
     */
    private double deployedRssMegabytes(Workload exec, Workload tcp) {
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(work.resolve("kafka"));
             Tracer sensor = startSensor(work.resolve("deployed.out"), List.of("sensor", "run", "--kafka", kafka.bootstrapServers()))) {
            exec.run();
            settle();
            tcp.run();
            settle();
            return sensor.rssMegabytes();
        }
    }

    private static Tracer startPeer(String tool, Path output, String header) {
        Path out = Path.of(output + "." + tool);
        return Tracer.start(CpuSplit.tracer(Tracer.lineBuffered(tool)), out, Path.of(out + ".err"), text -> text.startsWith(header));
    }

    /** Kernel reservation failures and user-space drops, from the sensor's last health report. */
    private static double lostEvents(Path output) {
        JsonNode last = lines(output).stream().filter(line -> line.path("type").asText().equals("SensorHealth"))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("the sensor wrote no health report to " + output));
        double lost = last.at("/payload/user_lost").asDouble();
        for (JsonNode count : last.at("/payload/kernel_lost_by_type")) {
            lost += count.asDouble();
        }
        return lost;
    }

    /** Packets both ways on both sockets of a bulk transfer, per NetworkFlow record sent to user space. */
    private double aggregationFactor() {
        Path output = work.resolve("bulk.out");
        try (Tracer ignored = startSensor(output)) {
            Workload.bulkTransfer(scripts, BULK_MEGABYTES, BULK_PORT).run();
            Thread.sleep(2000); // the last flow records travel through the ring buffer after the workload ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<JsonNode> records = lines(output).stream()
                .filter(line -> line.path("type").asText().equals("NetworkFlow"))
                .filter(line -> line.at("/payload/local/port").asInt() == BULK_PORT || line.at("/payload/remote/port").asInt() == BULK_PORT)
                .toList();
        double packets = records.stream().filter(line -> !line.at("/payload/end").asText().equals("ACTIVE"))
                .mapToDouble(line -> line.at("/payload/packets_sent").asDouble() + line.at("/payload/packets_received").asDouble())
                .sum();
        return records.isEmpty() ? 0 : packets / records.size();
    }

    /** The sensor's CPU seconds once it has handled what a storm left it (its records are decoded after the storm ends). */
    private static double settledCpuSeconds(Tracer sensor) {
        settle();
        return sensor.cpuSeconds();
    }

    /** Waits until the sensor has handled what a storm left in its ring and queue. */
    private static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private double idleCpuPercent() {
        try (Tracer sensor = startSensor(work.resolve("idle.out"))) {
            double before = sensor.cpuSeconds();
            Thread.sleep(IDLE_SECONDS * 1000L);
            return (sensor.cpuSeconds() - before) / IDLE_SECONDS * 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static List<JsonNode> lines(Path output) {
        try (Stream<String> lines = Files.lines(output)) {
            return lines.map(SensorBench::parse).filter(node -> node != null).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format("%.3f", value);
    }
}
