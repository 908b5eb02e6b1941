package dev.ringfence.allinone.up;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jars a Flink cluster needs to run the detection job: the jobs module's jar and its runtime dependencies
 * ({@code jobs/target/runtime.classpath}), found next to this module's classes in the source tree
 * ({@code allinone/target/classes}, where {@code ./ringfence} and the tests run them from).
 */
final class JobJars {
    private JobJars() {}

    static List<Path> locate() throws IOException {
        Path classes;
        try {
            classes = Path.of(JobJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot tell where the allinone classes are: " + e.getMessage(), e);
        }
        return in(classes.toAbsolutePath().getParent().getParent().getParent().resolve("jobs").resolve("target"));
    }

    /** {@code target}: the jobs module's build directory. */
    static List<Path> in(Path target) throws IOException {
        Path classpath = target.resolve("runtime.classpath");
        if (!Files.isRegularFile(classpath)) {
            throw new IOException("--flink ships the jobs module's jars, but " + classpath + " is missing: build the"
                    + " jobs module first (mvn -pl jobs install)");
        }
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(target)) {
            files.filter(file -> file.getFileName().toString().matches("ringfence-jobs-.*(?<!-tests)\\.jar")).forEach(jars::add);
        }
        if (jars.size() != 1) {
            throw new IOException("--flink ships the jobs module's jar: expected one ringfence-jobs-*.jar in " + target
                    + ", found " + jars.size());
        }
        for (String entry : Files.readString(classpath).trim().split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Path.of(entry));
            }
        }
        return jars;
    }
}
