package dev.ringfence.sensor.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The per-process directories of a procfs ({@code /proc/<pid>}), the other entries left out. */
public final class ProcessDirectories {
    private ProcessDirectories() {}

    public static List<Path> of(Path proc) throws IOException {
        try (Stream<Path> entries = Files.list(proc)) {
            return entries.filter(entry -> isPid(entry.getFileName().toString())).toList();
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
