package dev.ringfence.allinone.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.jobs.respond.PolicyScope;
import dev.ringfence.jobs.respond.ResponsePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionStageTest {

    @Test
    void observeIsTheDefaultAndEnforceOnlyFlipsTheBuiltInPolicysMode() {
        ResponsePolicy observe = DetectionStage.policy(UpOptions.parse(new String[0], null));
        ResponsePolicy enforce = DetectionStage.policy(UpOptions.parse(new String[] {"--enforce"}, null));

        assertThat(observe.spec.defaults.mode).isEqualTo(PolicyScope.Mode.OBSERVE);
        assertThat(enforce.spec.defaults.mode).isEqualTo(PolicyScope.Mode.ENFORCE);
        assertThat(enforce.spec.defaults.responses).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(observe.spec.defaults.responses);
    }

    @Test
    void aPolicyFileIsTheJobsOwnFormatAndABadOneSaysWhy(@TempDir Path dir) throws Exception {
        Path example = Path.of("..", "jobs", "examples", "response-policy.yaml");
        ResponsePolicy policy = DetectionStage.policy(UpOptions.parse(new String[] {"--policy", example.toString()}, null));
        assertThat(policy.metadata.name).isEqualTo("shop");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: ringfence.dev/v1alpha1\nkind: Policy\n");
        assertThatThrownBy(() -> DetectionStage.policy(UpOptions.parse(new String[] {"--policy", bad.toString()}, null)))
                .hasMessageContaining("kind must be 'ResponsePolicy'");
    }
}
