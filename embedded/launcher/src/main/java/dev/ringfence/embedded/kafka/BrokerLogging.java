package dev.ringfence.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A quiet log4j2 configuration for the broker: warnings and errors only, into broker.log. */
final class BrokerLogging {
    private static final String CONFIG = """
            status = warn
            appender.out.type = Console
            appender.out.name = OUT
            appender.out.layout.type = PatternLayout
            appender.out.layout.pattern = %d{ISO8601} level=%p logger=%c{1} %m%n
            rootLogger.level = WARN
            rootLogger.appenderRef.out.ref = OUT
            logger.started.name = kafka.server.KafkaRaftServer
            logger.started.level = INFO
            """;

    private BrokerLogging() {}

    static Path configFile(Path dataDir) {
        Path file = dataDir.resolve("log4j2.properties");
        try {
            Files.writeString(file, CONFIG);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
