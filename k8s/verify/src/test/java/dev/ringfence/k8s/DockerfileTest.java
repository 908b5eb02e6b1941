package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.k8s.source.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Docker here, so the image build is checked against the module layout: what it copies from the
 * context exists, what it copies from the build stage is what those modules' builds produce, and the
 * entry points are classes that exist.
 */
class DockerfileTest {
    private static final Pattern BUILD_OUTPUT = Pattern.compile("/src/(.+)/target/(.*)");

    @Test
    void everyImageOfTheManifestsHasAStage() {
        assertThat(Dockerfile.read().targets()).contains("sensor", "enforcement-feedback", "jobs", "sinks");
    }

    @Test
    void contextCopiesExistAndBuildCopiesAreWhatTheModulesProduce() {
        int checked = 0;
        for (String[] copy : Dockerfile.read().copies()) {
            String from = copy[0];
            String source = copy[1];
            if (from.isEmpty()) {
                if (!source.equals(".")) {
                    assertThat(Repo.path(source)).as("context path " + source).exists();
                }
            } else if (from.equals("build")) {
                Matcher matcher = BUILD_OUTPUT.matcher(source);
                assertThat(matcher.matches()).as(source + " is a module's build output").isTrue();
                Path module = Repo.path(matcher.group(1));
                assertThat(module.resolve("pom.xml")).as("module of " + source).exists();
                String produced = matcher.group(2);
                if (produced.endsWith(".jar")) {
                    assertThat(produced).isEqualTo(artifactId(module) + "-0.1.0-SNAPSHOT.jar");
                } else if (produced.startsWith("classes/bpf")) {
                    // the sensor build compiles src/main/bpf/*.bpf.c into classes/bpf/
                    assertThat(module.resolve("src/main/bpf")).isDirectoryContaining("glob:**.bpf.c");
                } else {
                    assertThat(produced).as("dependency folders the build stage fills").isIn("lib/", "usrlib/");
                }
            } else {
                assertThat(from).as("only the JDK/JRE stages besides build").isIn("jdk", "jre");
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void theBuiltModulesAndMainClassesExist() {
        Dockerfile dockerfile = Dockerfile.read();
        for (String main : dockerfile.mainClasses()) {
            String source = "src/main/java/" + main.replace('.', '/') + ".java";
            assertThat(Stream.of("sensor", "sinks", "enforcement-feedback/service"))
                    .as("main class " + main).anyMatch(module -> Files.exists(Repo.path(module).resolve(source)));
        }
        assertThat(dockerfile.mainClasses()).hasSize(3);
        String build = dockerfile.instructions().stream().filter(i -> i.contains("-pl sensor")).findFirst().orElseThrow();
        Matcher modules = Pattern.compile("-pl (\\S+)").matcher(build);
        assertThat(modules.find()).isTrue();
        for (String module : modules.group(1).split(",")) {
            assertThat(Repo.path(module).resolve("pom.xml")).exists();
        }
    }

    @Test
    void theSensorImageCarriesLibbpfAndRunsAsRootOthersDoNot() {
        String text = String.join("\n", Dockerfile.read().instructions());
        String sensorStage = text.substring(text.indexOf("AS sensor"), text.indexOf("AS enforcement-feedback"));
        assertThat(sensorStage).contains("libbpf1").doesNotContain("USER ");
        for (String stage : new String[] {"AS enforcement-feedback\n", "AS sinks\n"}) {
            assertThat(stage(text, stage)).as(stage).contains("USER 10001:10001");
        }
        // the Flink images run as the flink image's own user (9999): nothing switches back to root
        for (String stage : new String[] {"AS jobs\n", "AS sinks-flink\n"}) {
            assertThat(stage(text, stage)).as(stage).doesNotContain("USER ").contains("--chown=flink:flink");
        }
    }

    /** The instructions of the stage that starts with {@code header}, up to the next FROM. */
    private static String stage(String text, String header) {
        assertThat(text).contains(header);
        String rest = text.substring(text.indexOf(header));
        return rest.indexOf("\nFROM ", 1) < 0 ? rest : rest.substring(0, rest.indexOf("\nFROM ", 1));
    }

    private static String artifactId(Path module) {
        try {
            Matcher matcher = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>", Pattern.DOTALL)
                    .matcher(Files.readString(module.resolve("pom.xml")));
            assertThat(matcher.find()).as("artifactId of " + module).isTrue();
            return matcher.group(1);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
