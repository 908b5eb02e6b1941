package dev.ringfence.k8s;

import dev.ringfence.k8s.source.Repo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** k8s/docker/Dockerfile read as instructions: stage names, COPY sources, entry points. */
record Dockerfile(List<String> instructions) {
    static final String PATH = "k8s/docker/Dockerfile";

    static Dockerfile read() {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Repo.read(PATH).lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            current.append(trimmed.endsWith("\\") ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!trimmed.endsWith("\\")) {
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return new Dockerfile(instructions);
    }

    Set<String> targets() {
        Set<String> targets = new LinkedHashSet<>();
        Pattern stage = Pattern.compile("^FROM \\S+ AS (\\S+)$");
        for (String instruction : instructions) {
            Matcher matcher = stage.matcher(instruction);
            if (matcher.matches()) {
                targets.add(matcher.group(1));
            }
        }
        return targets;
    }

    /** Sources of COPY instructions: {from stage or "" for the build context, path}. */
    List<String[]> copies() {
        List<String[]> copies = new ArrayList<>();
        for (String instruction : instructions) {
            if (!instruction.startsWith("COPY ")) {
                continue;
            }
            String from = "";
            List<String> words = new ArrayList<>();
            for (String word : instruction.substring(5).split("\\s+")) {
                if (word.startsWith("--from=")) {
                    from = word.substring(7);
                } else if (!word.startsWith("--")) {
                    words.add(word);
                }
            }
            for (String source : words.subList(0, words.size() - 1)) {
                copies.add(new String[] {from, source});
            }
        }
        return copies;
    }

    /** Java main classes named by ENTRYPOINT instructions. */
    Set<String> mainClasses() {
        Set<String> classes = new LinkedHashSet<>();
        Matcher matcher = Pattern.compile("\"(dev\\.ringfence\\.[A-Za-z.]+)\"").matcher(String.join("\n", instructions));
        while (matcher.find()) {
            classes.add(matcher.group(1));
        }
        return classes;
    }
}
