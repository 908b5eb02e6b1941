package dev.ringfence.feedback.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CLI keeps its files unless told otherwise: {@code --state DIR}, else $RINGFENCE_STATE_DIR,
 * else ~/.ringfence. Certificates live in {@code <state>/certs}; a serving service records its address
 * in {@code <state>/feedback.address} so client commands on the same host find it.
 */
record StateDir(Path root) {
    static final String ENV = "RINGFENCE_STATE_DIR";
    private static final String ADDRESS_FILE = "feedback.address";

    static StateDir from(Arguments args) {
        String configured = args.value("--state").orElse(System.getenv(ENV));
        return new StateDir(configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".ringfence"));
    }

    Path certs(Arguments args) {
        return args.value("--certs").map(Path::of).orElse(root.resolve("certs"));
    }

    String serviceAddress(Arguments args) {
        if (args.value("--service").isPresent()) {
            return args.value("--service").get();
        }
        Path file = root.resolve(ADDRESS_FILE);
        if (Files.isRegularFile(file)) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        throw new Arguments.UsageException("no service address: pass --service HOST:PORT, or run 'feedback serve' with this state dir ("
                + root + ")");
    }

    void recordAddress(String address) {
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve(ADDRESS_FILE), address + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve(ADDRESS_FILE), e);
        }
    }

    void forgetAddress(String address) {
        try {
            Path file = root.resolve(ADDRESS_FILE);
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).trim().equals(address)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            // best effort at shutdown: a stale address only makes clients fail to connect, with a clear error
        }
    }
}
