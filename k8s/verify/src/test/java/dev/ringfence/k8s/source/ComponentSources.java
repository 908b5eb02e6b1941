package dev.ringfence.k8s.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the components' code accepts and uses, read from their sources: this module depends on none of
 * them (they are built in the same reactor and change under it), so the manifests are checked against
 * the code as it is in the tree. Each reader names the file and construct it reads, and fails loudly
 * when that construct is gone, rather than checking nothing.
 */
public final class ComponentSources {
    private static final Pattern STRING = Pattern.compile("\"([^\"]*)\"");

    private ComponentSources() {}

    /** Options of {@code sensor run} (SensorCli.runAgent's Arguments.parse). */
    public static Set<String> sensorRunOptions() {
        String cli = Repo.read("sensor/src/main/java/dev/ringfence/sensor/cli/SensorCli.java");
        return strings(after(cli, "int runAgent(", "Arguments.parse(", ");"));
    }

    /** Keys of the sensor's config file (ConfigFile.KEYS). */
    public static Set<String> sensorConfigKeys() {
        String source = Repo.read("sensor/src/main/java/dev/ringfence/sensor/ConfigFile.java");
        return strings(after(source, "KEYS", "Set.of(", ");"));
    }

    /** Options and flags of {@code feedback serve} (ServeCommand.run's Arguments.parse). */
    public static Set<String> feedbackServeOptions() {
        String source = Repo.read("enforcement-feedback/service/src/main/java/dev/ringfence/feedback/cli/ServeCommand.java");
        return strings(after(source, "static int run(", "Arguments.parse(", ";"));
    }

    /** Options of the detection job (JobArgs' switch). */
    public static Set<String> jobOptions() {
        String source = Repo.read("jobs/src/main/java/dev/ringfence/jobs/config/JobArgs.java");
        return matches(source, Pattern.compile("case \"(--[a-z-]+)\""));
    }

    /** Keys of the job's config file: public fields of JobConfig, or of one of its sections' classes. */
    public static Set<String> jobConfigFields(String sectionClass) {
        String source = Repo.read("jobs/src/main/java/dev/ringfence/jobs/config/" + sectionClass + ".java");
        return matches(source, Pattern.compile("^\\s+public\\s+(?!static|final|[A-Z]\\w*\\()[\\w<>, ]+?\\s(\\w+)\\s*[=;]",
                Pattern.MULTILINE));
    }

    /** The values a job setting accepts, from the Set.of(...) that follows {@code anchor} in the section's class. */
    public static Set<String> jobConfigChoices(String sectionClass, String anchor) {
        String source = Repo.read("jobs/src/main/java/dev/ringfence/jobs/config/" + sectionClass + ".java");
        return strings(after(source, anchor, "Set.of(", ")"));
    }

    /** Options of the sink job (SinkArguments.OPTIONS). */
    public static Set<String> sinkOptions() {
        String source = Repo.read("sinks/src/main/java/dev/ringfence/sinks/SinkArguments.java");
        return strings(after(source, "OPTIONS", "Set.of(", ");"));
    }

    /** Rule ids of the detectors (Rule enum). */
    public static Set<String> ruleIds() {
        return matches(Repo.read("jobs/src/main/java/dev/ringfence/jobs/detect/Rule.java"), Pattern.compile("\\(\"(RF-[A-Z]+-\\d+)\""));
    }

    /** The actions a response may take (PolicySpec.requireActionable). */
    public static Set<String> actionableActions() {
        String source = Repo.read("jobs/src/main/java/dev/ringfence/jobs/respond/PolicySpec.java");
        return matches(after(source, "requireActionable(", "{", "throw"), Pattern.compile("DecisionAction\\.([A-Z_]+)"));
    }

    /** Severity symbols of the contract (alert.avdl). */
    public static Set<String> severities() {
        String avdl = Repo.read("schemas/src/main/avro/alert.avdl");
        return matches(after(avdl, "enum Severity", "{", "}"), Pattern.compile("([A-Z]+)"));
    }

    /** Component template names (IndexTemplates.COMPONENTS). */
    public static List<String> componentTemplates() {
        String source = Repo.read("sinks/src/main/java/dev/ringfence/sinks/template/IndexTemplates.java");
        return List.copyOf(strings(after(source, "COMPONENTS", "List.of(", ");")));
    }

    /** Component then index template names, in install order (IndexTemplates). */
    public static List<String> indexTemplates() {
        String source = Repo.read("sinks/src/main/java/dev/ringfence/sinks/template/IndexTemplates.java");
        Set<String> names = new LinkedHashSet<>(strings(after(source, "COMPONENTS", "List.of(", ");")));
        names.addAll(strings(after(source, "INDEX_TEMPLATES", "List.of(", ");")));
        return List.copyOf(names);
    }

    /** Topic enum constants a module's main code names (Topic.EVENTS ...). */
    public static Set<String> topicsUsedBy(String module) {
        return inMainSources(module, Pattern.compile("\\bTopic\\.([A-Z][A-Z_]+)\\b"));
    }

    /** Every string literal of a module's main code (consumer groups, transactional id prefixes ...). */
    public static Set<String> stringLiteralsOf(String module) {
        return inMainSources(module, STRING);
    }

    private static Set<String> inMainSources(String module, Pattern pattern) {
        return inFiles(Repo.path(module).resolve("src/main/java"), ".java", pattern);
    }

    /** Group 1 of every match of {@code pattern} in the files under {@code root} whose names end with {@code suffix}. */
    public static Set<String> inFiles(Path root, String suffix, Pattern pattern) {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(suffix)).toList()) {
                Matcher matcher = pattern.matcher(Files.readString(file));
                while (matcher.find()) {
                    found.add(matcher.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The text between {@code open} and {@code close}, after the first {@code anchor}. */
    static String after(String text, String anchor, String open, String close) {
        int at = text.indexOf(anchor);
        int start = at < 0 ? -1 : text.indexOf(open, at);
        int end = start < 0 ? -1 : text.indexOf(close, start + open.length());
        if (end < 0) {
            throw new IllegalStateException("source construct not found: '" + anchor + "' ... '" + open + "' ... '" + close + "'");
        }
        return text.substring(start + open.length(), end);
    }

    private static Set<String> strings(String text) {
        return matches(text, STRING);
    }

    private static Set<String> matches(String text, Pattern pattern) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("nothing matched " + pattern + " in the expected source construct");
        }
        return found;
    }
}
