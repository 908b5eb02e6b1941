package dev.ringfence.embedded.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The broker's server.properties, kept in the data directory so a restart reuses its ports and log.
 * One combined broker+controller in KRaft mode, loopback only, internal topics with replication 1.
 */
record BrokerConfig(Path file, int port, int controllerPort, int tlsPort) {
    /** tls: null for the plain listener only; a broker with a TLS listener always gets a fresh file. */
    static BrokerConfig loadOrCreate(Path dataDir, int requestedPort, TlsListener tls) throws IOException {
        Path file = dataDir.resolve("server.properties");
        if (tls == null && Files.exists(file)) {
            Properties existing = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                existing.load(in);
            }
            int port = Integer.parseInt(existing.getProperty("ringfence.port"));
            int controllerPort = Integer.parseInt(existing.getProperty("ringfence.controller.port"));
            if (requestedPort == 0 || requestedPort == port) {
                return new BrokerConfig(file, port, controllerPort, 0);
            }
        }
        BrokerConfig config = new BrokerConfig(file, requestedPort == 0 ? freePort() : requestedPort, freePort(),
                tls == null ? 0 : freePort());
        config.write(dataDir, tls);
        return config;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    String tlsBootstrapServers() {
        if (tlsPort == 0) {
            throw new IllegalStateException("this broker has no TLS listener");
        }
        return "127.0.0.1:" + tlsPort;
    }

    private void write(Path dataDir, TlsListener tls) throws IOException {
        Properties config = new Properties();
        config.setProperty("ringfence.port", Integer.toString(port));
        config.setProperty("ringfence.controller.port", Integer.toString(controllerPort));
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String ssl = tls == null ? "" : ",SSL://127.0.0.1:" + tlsPort;
        config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ssl + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ssl);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
        if (tls != null) {
            config.setProperty("listener.name.ssl.ssl.keystore.type", "PEM");
            config.setProperty("listener.name.ssl.ssl.keystore.location", tls.keyAndCertificatePem().toAbsolutePath().toString());
            config.setProperty("listener.name.ssl.ssl.truststore.type", "PEM");
            config.setProperty("listener.name.ssl.ssl.truststore.location", tls.caCertificatePem().toAbsolutePath().toString());
            config.setProperty("listener.name.ssl.ssl.client.auth", "required");
        }
        config.setProperty("log.dirs", dataDir.resolve("kafka-logs").toAbsolutePath().toString());
        config.setProperty("auto.create.topics.enable", "false");
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("offsets.topic.num.partitions", "4");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("transaction.state.log.num.partitions", "4");
        // Flink's exactly-once sink opens transactions longer than the 15 min default allows
        config.setProperty("transaction.max.timeout.ms", "3600000");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        Files.createDirectories(dataDir);
        try (Writer out = Files.newBufferedWriter(file)) {
            config.store(out, "Ringfence embedded Kafka broker (all-in-one and tests only)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
