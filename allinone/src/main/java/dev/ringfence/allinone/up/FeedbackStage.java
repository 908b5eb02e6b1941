package dev.ringfence.allinone.up;

import dev.ringfence.feedback.server.FeedbackConfig;
import dev.ringfence.feedback.server.FeedbackService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The enforcement-feedback service (mTLS gRPC) with the state directory's certificates. While it runs, its
 * address is in {@code <state>/feedback.address}, where the containment commands ({@code ./ringfence contain},
 * {@code decisions}, {@code release}) look for it, as they do for {@code feedback serve}.
 */
final class FeedbackStage implements AutoCloseable {
    private static final String ADDRESS_FILE = "feedback.address";

    private final FeedbackService service;
    private final Path addressFile;
    private final String address;

    private FeedbackStage(FeedbackService service, Path addressFile) {
        this.service = service;
        this.addressFile = addressFile;
        this.address = "localhost:" + service.port();
    }

    static FeedbackStage start(String bootstrap, UpOptions options, Path state) throws IOException {
        FeedbackService service = FeedbackService.start(FeedbackConfig.builder(state.resolve("certs"))
                .serviceName(Certificates.SERVICE)
                .port(options.feedbackPort())
                .kafka(bootstrap)
                // observe mode: not even a decision submitted by hand (./ringfence contain) is delivered
                .dryRun(!options.enforce() && options.policyFile() == null)
                .build());
        FeedbackStage stage = new FeedbackStage(service, state.resolve(ADDRESS_FILE));
        try {
            Files.writeString(stage.addressFile, stage.address + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            service.close();
            throw e;
        }
        return stage;
    }

    /** Where a sensor on this host dials the service. */
    String address() {
        return address;
    }

    int port() {
        return service.port();
    }

    @Override
    public void close() throws IOException {
        try {
            service.close();
        } finally {
            // another service may have taken over the file meanwhile: only our own address is removed
            if (Files.isRegularFile(addressFile) && Files.readString(addressFile, StandardCharsets.UTF_8).trim().equals(address)) {
                Files.delete(addressFile);
            }
        }
    }
}
