package dev.ringfence.sensor.enforce;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.codec.ContractCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The decisions in force, one file each (applied-at epoch ms, then the Avro decision), so a new
 * sensor knows which pinned kernel entries are owned by which decision and when their TTLs end.
 */
final class DecisionStore {
    record Stored(Decision decision, long appliedAtMillis) {}

    private static final ContractCodec<Decision> CODEC = ContractCodec.of(Decision.class);

    private final Path directory;

    DecisionStore(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create decision store " + directory, e);
        }
    }

    void save(Decision decision, long appliedAtMillis) {
        byte[] encoded = CODEC.encode(decision);
        byte[] content = ByteBuffer.allocate(8 + encoded.length).putLong(appliedAtMillis).put(encoded).array();
        Path file = file(decision.getDecisionId());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.write(partial, content);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save decision " + decision.getDecisionId(), e);
        }
    }

    void remove(String decisionId) {
        try {
            Files.deleteIfExists(file(decisionId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove decision " + decisionId, e);
        }
    }

    List<Stored> load() {
        List<Stored> stored = new ArrayList<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".decision")).toList()) {
                byte[] content = Files.readAllBytes(file);
                stored.add(new Stored(CODEC.decode(Arrays.copyOfRange(content, 8, content.length)), ByteBuffer.wrap(content).getLong()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read decision store " + directory, e);
        }
        return stored;
    }

    private Path file(String decisionId) {
        return directory.resolve(HexFormat.of().formatHex(decisionId.getBytes(StandardCharsets.UTF_8)) + ".decision");
    }
}
