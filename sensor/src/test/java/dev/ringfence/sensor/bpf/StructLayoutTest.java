package dev.ringfence.sensor.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles ringfence.h with clang (for the host, not BPF) and checks every Java layout against sizeof/offsetof. */
class StructLayoutTest {
    private static final Path HEADER = Path.of("src/main/bpf/ringfence.h").toAbsolutePath();

    @Test
    void everyJavaLayoutMatchesTheCStruct(@TempDir Path dir) throws Exception {
        Map<String, Long> expected = javaLayouts();
        Map<String, Long> actual = compileAndRun(dir, expected.keySet());
        assertThat(expected).hasSizeGreaterThan(KernelStructs.ALL.size() * 2);
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void aMisplacedFieldWouldBeCaught(@TempDir Path dir) throws Exception {
        Map<String, Long> actual = compileAndRun(dir, List.of("rf_exit.status"));
        assertThat(actual.get("rf_exit.status")).isNotEqualTo(KernelStructs.EXIT.byteOffset(
                MemoryLayout.PathElement.groupElement("pad0")));
    }

    /** "struct" -> size and "struct.member" -> offset. */
    private static Map<String, Long> javaLayouts() {
        Map<String, Long> entries = new LinkedHashMap<>();
        for (StructLayout layout : KernelStructs.ALL) {
            String struct = layout.name().orElseThrow();
            entries.put(struct, layout.byteSize());
            for (MemoryLayout member : layout.memberLayouts()) {
                String field = member.name().orElseThrow();
                entries.put(struct + "." + field, layout.byteOffset(MemoryLayout.PathElement.groupElement(field)));
            }
        }
        return entries;
    }

    private static Map<String, Long> compileAndRun(Path dir, Iterable<String> names) throws IOException, InterruptedException {
        StringBuilder source = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <linux/types.h>
                #include "%s"
                int main(void) {
                """.formatted(HEADER));
        for (String name : names) {
            int dot = name.indexOf('.');
            String expression = dot < 0 ? "sizeof(struct " + name + ")"
                    : "offsetof(struct " + name.substring(0, dot) + ", " + name.substring(dot + 1) + ")";
            source.append("  printf(\"%s %zu\\n\", \"").append(name).append("\", ").append(expression).append(");\n");
        }
        source.append("  return 0;\n}\n");
        Path c = dir.resolve("layout.c");
        Path binary = dir.resolve("layout");
        Files.writeString(c, source);
        run(List.of("clang", "-Wall", "-Werror", "-o", binary.toString(), c.toString()));
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : run(List.of(binary.toString()))) {
            String[] parts = line.split(" ");
            values.put(parts[0], Long.parseLong(parts[1]));
        }
        return values;
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s failed:%n%s", command, output).isZero();
        return new ArrayList<>(output.lines().toList());
    }
}
