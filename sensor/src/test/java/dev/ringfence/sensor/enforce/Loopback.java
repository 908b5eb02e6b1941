package dev.ringfence.sensor.enforce;

import dev.ringfence.sensor.sandbox.TestCgroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A dual-stack TCP server on loopback (it keeps connections open) and probes run inside a cgroup: does the workload reach it? */
final class Loopback implements AutoCloseable {
    static final int REACHED = 0;
    static final int EPERM = 13;

    private final ServerSocket server;
    private final Path reach;
    private final Path listen;
    private final Path hold;

    Loopback(Path dir) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress("::", 0), 128); // 127.0.0.x and ::1
        Thread.ofPlatform().daemon().start(this::acceptForever);
        reach = script(dir, "reach.py");
        listen = script(dir, "listen.py");
        hold = script(dir, "hold.py");
    }

    int port() {
        return server.getLocalPort();
    }

    /** REACHED, EPERM, or 20 (another failure): TCP connect or UDP sendto from inside the cgroup. */
    int reach(TestCgroup cgroup, String address, int port, String protocol) {
        return cgroup.run(List.of("/usr/bin/python3", reach.toString(), address, String.valueOf(port), protocol));
    }

    /** A TCP listener on 127.0.0.1:port inside the cgroup; prints "ready" once listening. */
    Process listenIn(TestCgroup cgroup, int port) {
        return cgroup.start(List.of("/usr/bin/python3", listen.toString(), String.valueOf(port)));
    }

    /** One TCP connection from inside the cgroup, kept sending; prints "connected", then the errno name of a failed send (exit 3). */
    Process holdIn(TestCgroup cgroup, String address, int port) {
        return cgroup.start(holdCommand(address, port));
    }

    List<String> holdCommand(String address, int port) {
        return List.of("/usr/bin/python3", hold.toString(), address, String.valueOf(port));
    }

    /** As {@link #holdCommand}, but once connected the process moves into that cgroup, leaving its socket behind in the first. */
    List<String> holdThenMoveCommand(String address, int port, TestCgroup moveTo) {
        return List.of("/usr/bin/python3", hold.toString(), address, String.valueOf(port), moveTo.directory().resolve("cgroup.procs").toString());
    }

    /** A listener on address:port that keeps its connections open; prints "ready" once listening. */
    List<String> listenCommand(String address, int port) {
        return List.of("/usr/bin/python3", listen.toString(), String.valueOf(port), address);
    }

    static boolean connects(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** Each connection stays open and is read to its end, so a workload may also hold one (see holdIn). */
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
            // cut by enforcement: what the tests do
        }
    }

    private static Path script(Path dir, String name) {
        try (InputStream in = Loopback.class.getResourceAsStream("/enforce/" + name)) {
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
