package dev.ringfence.embedded.elasticsearch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The node's HTTP port, chosen once and kept in the data directory so a restarted node keeps its URL. */
final class NodePort {
    private NodePort() {}

    static int loadOrChoose(Path dataDir) throws IOException {
        Path file = dataDir.resolve("http.port");
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).strip());
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dataDir);
        Files.writeString(file, Integer.toString(port), StandardCharsets.UTF_8);
        return port;
    }
}
