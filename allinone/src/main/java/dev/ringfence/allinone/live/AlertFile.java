package dev.ringfence.allinone.live;

import dev.ringfence.allinone.console.JsonLines;
import dev.ringfence.contract.Alert;
import dev.ringfence.sinks.ecs.AlertDocument;
import dev.ringfence.sinks.ecs.InvalidRecordException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every alert revision appended as one ECS document per line (the sinks module's mapping, the same documents
 * Elasticsearch gets), flushed at once so a SIEM agent tailing the file sees it. A later revision of an alert
 * carries the same {@code event.id} and a higher {@code ringfence.alert.revision}.
 */
public final class AlertFile implements RecordHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFile.class);

    private final Path path;
    private final BufferedWriter writer;
    private boolean failed;

    public AlertFile(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(path.toAbsolutePath().getParent());
        this.writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void alert(Alert alert) {
        try {
            writer.write(JsonLines.of(AlertDocument.of(alert)));
            writer.newLine();
            writer.flush();
            failed = false;
        } catch (InvalidRecordException e) {
            LOG.warn("alert not written to {}: not a valid ECS document: {}", path, e.getMessage());
        } catch (IOException e) {
            if (!failed) { // one warning per outage, not one per alert
                LOG.error("cannot append alerts to {}: {}", path, e.toString());
            }
            failed = true;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }
}
