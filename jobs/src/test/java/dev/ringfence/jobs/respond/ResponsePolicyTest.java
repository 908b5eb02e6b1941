package dev.ringfence.jobs.respond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.DecisionAction;
import dev.ringfence.jobs.config.InvalidConfigException;
import dev.ringfence.jobs.scenario.ShopCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResponsePolicyTest {
    private static final String MINIMAL = """
            apiVersion: ringfence.dev/v1alpha1
            kind: ResponsePolicy
            metadata: {name: p}
            spec:
              defaults:
                mode: observe
                responses:
                  - {detector: RF-CHAIN-001, action: KILL_PROCESS}
            %s
            """;

    private static ResponsePolicy parse(String extra) {
        return ResponsePolicy.parse(MINIMAL.formatted(extra), true);
    }

    @Test
    void theDocumentedExampleIsValidAndTheMostSpecificScopeWins() {
        ResponsePolicy policy = ResponsePolicy.read(Path.of("examples/response-policy.yaml"));
        ShopCluster shop = new ShopCluster();

        PolicyScope api = policy.spec.scopeFor(shop.api.identity());
        assertThat(api.enforcing()).isTrue();
        assertThat(api.responseTo("RF-CHAIN-001").action).isEqualTo(DecisionAction.KILL_PROCESS);
        assertThat(api.responseTo("RF-SCAN-001")).isNull();

        PolicyScope frontend = policy.spec.scopeFor(shop.frontend.identity());
        assertThat(frontend.enforcing()).isFalse();
        assertThat(frontend.responseTo("RF-SCAN-001").action).isEqualTo(DecisionAction.ISOLATE_WORKLOAD);
    }

    @Test
    void aNamespaceOverrideWithoutResponsesInheritsTheDefaults() {
        ResponsePolicy policy = parse("""
                  overrides:
                    - {name: shop, match: {namespace: shop}, mode: enforce}
                """);
        PolicyScope scope = policy.spec.scopeFor(new ShopCluster().api.identity());
        assertThat(scope.enforcing()).isTrue();
        assertThat(scope.responseTo("RF-CHAIN-001")).isNotNull();
    }

    @Test
    void mistakesAreRejectedWithTheKeyThatIsWrong() {
        assertThatThrownBy(() -> parse("  dryRun: true"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("unknown key 'dryRun'");
        assertThatThrownBy(() -> ResponsePolicy.parse(MINIMAL.formatted("").replace("KILL_PROCESS", "DENY_EXEC"), true))
                .hasMessageContaining("spec.defaults.responses[0].action must be KILL_PROCESS, BLOCK_CONNECTION or"
                        + " ISOLATE_WORKLOAD");
        assertThatThrownBy(() -> ResponsePolicy.parse(MINIMAL.formatted("").replace("RF-CHAIN-001", "RF-NOPE"), true))
                .hasMessageContaining("unknown rule id 'RF-NOPE'");
        assertThatThrownBy(() -> ResponsePolicy.parse(MINIMAL.formatted("").replace("observe", "block"), true))
                .hasMessageContaining("block");
        assertThatThrownBy(() -> parse("""
                  overrides:
                    - {name: x, match: {namespace: a, workloadKey: a/Deployment/b}, mode: enforce}
                """)).hasMessageContaining("spec.overrides[0].match must set exactly one of namespace, workloadKey");
        assertThatThrownBy(() -> parse("""
                  overrides:
                    - name: x
                      match: {namespace: a}
                      mode: enforce
                      responses: [{detector: RF-EXFIL-001, action: BLOCK_CONNECTION}]
                """)).hasMessageContaining("ttlSeconds must be > 0 for BLOCK_CONNECTION");
        assertThatThrownBy(() -> ResponsePolicy.parse(MINIMAL.formatted("").replace("v1alpha1", "v9"), true))
                .hasMessageContaining("apiVersion must be 'ringfence.dev/v1alpha1'");
    }
}
