package dev.ringfence.sensor.enforce;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP server on every loopback address that keeps each connection open and reads it to its end. */
final class Drain implements AutoCloseable {
    private final ServerSocket server;

    Drain() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress("0.0.0.0", 0), 16);
        Thread.ofPlatform().daemon().start(this::acceptForever);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                Thread.ofPlatform().daemon().start(() -> drain(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void drain(Socket connection) {
        try (connection; InputStream in = connection.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the connection was cut: that is what the tests do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
