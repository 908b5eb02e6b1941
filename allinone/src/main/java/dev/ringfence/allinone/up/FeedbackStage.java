package dev.ringfence.allinone.up;

import dev.ringfence.feedback.server.FeedbackConfig;
import dev.ringfence.feedback.server.FeedbackService;
import java.nio.file.Path;

/** The enforcement-feedback service (mTLS gRPC) with the state directory's certificates. */
final class FeedbackStage {
    private FeedbackStage() {}

    static FeedbackService start(String bootstrap, UpOptions options, Path certs) {
        return FeedbackService.start(FeedbackConfig.builder(certs)
                .serviceName(Certificates.SERVICE)
                .port(options.feedbackPort())
                .kafka(bootstrap)
                // observe mode: not even a decision submitted by hand (./ringfence contain) is delivered
                .dryRun(!options.enforce() && options.policyFile() == null)
                .build());
    }
}
