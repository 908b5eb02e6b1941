package org.elasticsearch.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * A single Elasticsearch node on loopback, for tests and the all-in-one only. Runs in a JVM of its own;
 * once HTTP is bound the node writes {@code logs/http.ports}, which the launcher polls for the port.
 * Arguments: {@code <home directory> <http port, 0 for any free port>}.
 */
public final class EmbeddedNode extends Node {
    private static final List<Class<? extends Plugin>> PLUGINS = List.of(Netty4Plugin.class, LifecycleSettingStub.class);

    private EmbeddedNode(Environment environment) {
        super(NodeConstruction.prepareConstruction(environment, ClasspathPluginsService.noBundles(),
                new ClasspathServices(), true));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: EmbeddedNode <home directory> <http port>");
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int httpPort = Integer.parseInt(args[1]);
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("logs"));
        Settings settings = settings(home, httpPort);
        LogConfigurator.configureESLogging();
        LogConfigurator.configureWithoutConfig(settings);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), home.resolve("config"),
                () -> "ringfence-embedded");
        EmbeddedNode node = new EmbeddedNode(environment);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "node-shutdown"));
        node.start();
        closed.await();
    }

    private static Settings settings(Path home, int httpPort) {
        return Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("cluster.name", "ringfence-embedded")
                .put("node.name", "ringfence-embedded")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", Integer.toString(httpPort))
                .put("transport.port", "0")
                .put("node.portsfile", true)
                // a shared disk that is 90% full must not turn the node read-only under tests
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("logger.level", "WARN")
                .build();
    }

    /** The node's service factory, with plugins taken from the class path. */
    private static final class ClasspathServices extends NodeServiceProvider {
        @Override
        PluginsService newPluginService(Environment environment, PluginsLoader pluginsLoader) {
            return new ClasspathPluginsService(environment.settings(), environment.configDir(), PLUGINS);
        }
    }
}
