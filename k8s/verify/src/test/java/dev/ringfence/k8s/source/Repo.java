package dev.ringfence.k8s.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository this module lives in (k8s/verify/../..). */
public final class Repo {
    private Repo() {}

    public static Path root() {
        return Path.of(System.getProperty("ringfence.root", "../..")).toAbsolutePath().normalize();
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative + " (moved? update the cross-check)", e);
        }
    }
}
