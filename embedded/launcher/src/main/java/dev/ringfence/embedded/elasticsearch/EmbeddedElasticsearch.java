package dev.ringfence.embedded.elasticsearch;

import dev.ringfence.embedded.jvm.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real single-node Elasticsearch (server jars from Maven Central) in its own JVM, on loopback, for
 * tests and the all-in-one only: production points the sinks at a real cluster. The data directory
 * and the port survive {@link #stop()} and {@link #start()}, so clients keep their URL across a restart.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {
    private static final String CLASSPATH_RESOURCE = "/dev/ringfence/embedded/elasticsearch-node.classpath";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ChildJvm node;

    private EmbeddedElasticsearch(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a node whose data lives in {@code dataDir}, on the port an earlier run chose there, or a free one. */
    public static EmbeddedElasticsearch launch(Path dataDir) {
        try {
            Path absolute = dataDir.toAbsolutePath();
            EmbeddedElasticsearch elasticsearch = new EmbeddedElasticsearch(absolute, NodePort.loadOrChoose(absolute));
            elasticsearch.start();
            return elasticsearch;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Elasticsearch data directory " + dataDir, e);
        }
    }

    /** For example {@code http://127.0.0.1:41234}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isRunning() {
        return node != null && node.isAlive();
    }

    /** Starts the node again after {@link #stop()}, with the same data and port; returns once the cluster is usable. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        node = ChildJvm.start("elasticsearch-node", classpath(), NodeMain.class.getName(), jvmArgs(),
                List.of(dataDir.toString(), Integer.toString(port)), dataDir.resolve("node.log"));
        awaitReady();
    }

    /** Orderly node shutdown; data and port are kept for {@link #start()}. */
    public synchronized void stop() {
        if (node != null) {
            node.stop(STOP_GRACE);
            node = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitReady() {
        HttpRequest health = HttpRequest.newBuilder(URI.create(httpUrl() + "/_cluster/health?wait_for_status=yellow&timeout=5s"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                String tail = node.logTail(30);
                node = null;
                throw new IllegalStateException("Elasticsearch node exited during start-up:\n" + tail);
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while starting Elasticsearch", e);
            }
            sleep(Duration.ofMillis(250));
        }
        stop();
        throw new IllegalStateException("Elasticsearch not ready after " + READY_TIMEOUT.toSeconds() + " s (last: " + last
                + "); see " + dataDir.resolve("node.log"));
    }

    /** Our launcher code, the runtime module's own classes (the node's main), then the server's jars. */
    private static String classpath() {
        URL resource = EmbeddedElasticsearch.class.getResource(CLASSPATH_RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("missing class path resource " + CLASSPATH_RESOURCE
                    + ": the elasticsearch-runtime module was not built (run ./ringfence build)");
        }
        String recorded = ChildJvm.runtimeClasspath(CLASSPATH_RESOURCE, EmbeddedElasticsearch.class);
        return codeLocationOf(resource) + File.pathSeparator + recorded;
    }

    /** The jar or classes directory a resource was loaded from. */
    private static String codeLocationOf(URL resource) {
        String url = resource.toString();
        String location = url.startsWith("jar:") ? url.substring("jar:".length(), url.indexOf("!/"))
                : url.substring(0, url.length() - CLASSPATH_RESOURCE.length());
        try {
            return Path.of(new URI(location)).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the runtime module from " + url, e);
        }
    }

    private List<String> jvmArgs() {
        List<String> args = new ArrayList<>(List.of("-Xms256m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dio.netty.allocator.type=unpooled"));
        if (Runtime.version().feature() >= 24) {
            args.add("--sun-misc-unsafe-memory-access=allow");
            args.add("--enable-native-access=ALL-UNNAMED");
        }
        return args;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Elasticsearch", e);
        }
    }
}
