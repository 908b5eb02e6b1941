package dev.ringfence.allinone.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's ahead-of-time class cache (src/main/sh/aot-cache.sh), run with this JDK on a one-class jar: the
 * first run records, the second turns the record into a cache and loads the class from it, and a rebuilt jar
 * starts over instead of running on a cache that no longer fits.
 */
class ClassCacheScriptTest {
    private static final Path SCRIPT = Path.of("src/main/sh/aot-cache.sh").toAbsolutePath();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;
    private Path jar;
    private Path cacheDir;

    /** The class the probe JVM runs. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("probe ran");
        }
    }

    @BeforeEach
    void probeJar() throws IOException {
        jar = dir.resolve("probe.jar");
        cacheDir = dir.resolve("aot");
        writeProbeJar(FileTime.fromMillis(1_700_000_000_000L));
    }

    @Test
    void theFirstRunRecordsAndTheNextLoadsItsClassesFromTheCache() throws Exception {
        List<String> first = flags();
        assumeTrue(!first.isEmpty(), "this JDK has no ahead-of-time cache (JDK 25+)");
        assertThat(first).contains("-XX:AOTMode=record");
        assertThat(recording()).as("aot_recording before a cache exists").isTrue();
        assertThat(probeClassSource(first)).startsWith("file:");
        assertThat(filesIn(cacheDir)).singleElement().asString().endsWith(".classes");

        List<String> second = flags();
        assertThat(second).anyMatch(flag -> flag.startsWith("-XX:AOTCache=" + cacheDir));
        assertThat(probeClassSource(second)).isEqualTo("shared objects file");
        assertThat(recording()).as("aot_recording once the cache exists").isFalse();
        assertThat(filesIn(cacheDir)).as("the record is consumed; the creation's log stays")
                .anyMatch(name -> name.endsWith(".aot")).noneMatch(name -> name.endsWith(".classes"));
    }

    @Test
    void aRebuiltJarRecordsAgainAndDropsTheOldCache() throws Exception {
        List<String> first = flags();
        assumeTrue(!first.isEmpty(), "this JDK has no ahead-of-time cache (JDK 25+)");
        probeClassSource(first);
        probeClassSource(flags());
        assertThat(filesIn(cacheDir)).anyMatch(name -> name.endsWith(".aot"));

        writeProbeJar(FileTime.fromMillis(1_700_000_999_000L));
        List<String> rebuilt = flags();

        assertThat(rebuilt).contains("-XX:AOTMode=record");
        assertThat(filesIn(cacheDir)).noneMatch(name -> name.endsWith(".aot"));
    }

    @Test
    void aClassPathWithADirectoryGetsNoCache() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("x.txt"), "x");
        assertThat(flags(jar + ":" + classes)).isEmpty();
    }

    @Test
    void theCacheCanBeTurnedOffAndAnythingElseIsRefused() throws Exception {
        assertThat(flags(jar.toString(), "off")).isEmpty();
        assertThat(filesIn(cacheDir)).isEmpty();
        assertThat(script(jar.toString(), "no"))
                .contains("say: RINGFENCE_CLASS_CACHE must be on or off, got 'no'", "status: 1");
    }

    private List<String> flags() throws Exception {
        return flags(jar.toString());
    }

    /** Whether aot_recording holds after aot_flags for the probe jar. */
    private boolean recording() throws Exception {
        return script(jar.toString(), "on").contains("recording");
    }

    private List<String> flags(String classpath) throws Exception {
        return flags(classpath, "on");
    }

    /** AOT_FLAGS as aot_flags sets them for this class path and RINGFENCE_CLASS_CACHE setting. */
    private List<String> flags(String classpath, String setting) throws Exception {
        List<String> out = script(classpath, setting);
        assertThat(out).contains("status: 0");
        return out.stream().filter(line -> line.startsWith("flag: ") && line.length() > "flag: ".length())
                .map(line -> line.substring("flag: ".length())).toList();
    }

    /**
     * What aot_flags said ("say: "), the flags it set ("flag: "), "recording" when aot_recording holds after it, and
     * its status ("status: "), one per line.
     */
    private List<String> script(String classpath, String setting) throws Exception {
        String program = "say() { echo \"say: $*\"; }; source \"$1\"; RINGFENCE_CLASS_CACHE=\"$3\";"
                + " aot_flags probe \"$2\" -Xmx64m; status=$?; printf 'flag: %s\\n' \"${AOT_FLAGS[@]}\";"
                + " if aot_recording; then echo recording; fi; echo \"status: $status\"";
        return run(List.of("bash", "-c", program, "bash", SCRIPT.toString(), classpath, setting), true).lines().toList();
    }

    /** Runs the probe with these flags and returns where its class was loaded from, as the JVM logs it. */
    private String probeClassSource(List<String> flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xmx64m"));
        command.addAll(flags);
        command.addAll(List.of("-Xlog:class+load=info", "-cp", jar.toString(), Probe.class.getName()));
        String out = run(command, false);
        assertThat(out).contains("probe ran");
        String marker = Probe.class.getName() + " source: ";
        return out.lines().filter(line -> line.contains(marker)).findFirst()
                .map(line -> line.substring(line.indexOf(marker) + marker.length()).strip())
                .orElseThrow(() -> new AssertionError("no class+load line for the probe in:\n" + out));
    }

    private String run(List<String> command, boolean stdoutOnly) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA", JAVA.toString());
        builder.environment().put("AOT_DIR", cacheDir.toString());
        if (stdoutOnly) {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        } else {
            builder.redirectErrorStream(true);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit of %s:%n%s", command, out).isZero();
        return out;
    }

    private void writeProbeJar(FileTime modified) throws IOException {
        String entry = Probe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file);
             InputStream in = Probe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        Files.setLastModifiedTime(jar, modified);
    }

    private static List<String> filesIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
