package dev.ringfence.allinone.up;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A stand-in Flink cluster for {@link RemoteDetectionStageIT}: a MiniCluster with its REST endpoint on a free
 * loopback port, run in its own JVM with Flink's jars only (no Ringfence classes: the job's come with the
 * submission). Prints {@code rest PORT}, runs until its standard input closes.
 */
public final class FlinkClusterMain {
    private FlinkClusterMain() {}

    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(CoreOptions.TMP_DIRS, Files.createDirectories(Path.of(args[0])).toString());
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build())) {
            cluster.start();
            System.out.println("rest " + cluster.getRestAddress().get().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our standard input (or dies)
            }
        }
    }
}
