package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.k8s.render.Resource;
import dev.ringfence.k8s.source.ComponentSources;
import dev.ringfence.k8s.source.Repo;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The setup Job installs what the sink's code installs, in its order, from files the sinks image carries. */
class ElasticSetupTest {
    private static final Resource JOB = Manifests.one(Manifests.base(), "Job", "ringfence-elastic-setup");

    @Test
    void theScriptsRuleForIndexTemplatesSortsTheSinksTemplatesAsItsCodeDoes() {
        String script = setupScript("install-elasticsearch-definitions.sh");
        // components are PUT before index templates, and a file is an index template when it has index_patterns
        assertThat(script.indexOf("_component_template")).isPositive().isLessThan(script.indexOf("_index_template"));
        assertThat(script).contains("grep -q '\"index_patterns\"'");
        List<String> components = ComponentSources.componentTemplates();
        List<String> all = ComponentSources.indexTemplates();
        assertThat(components).isNotEmpty();
        for (String name : all) {
            String json = Repo.read("sinks/src/main/resources/dev/ringfence/sinks/template/" + name + ".json");
            assertThat(json.contains("\"index_patterns\"")).as(name + " is an index template").isEqualTo(!components.contains(name));
        }
    }

    @Test
    void everyLifecyclePolicyATemplateNamesIsShippedAndInstalledFirst() {
        String script = setupScript("install-elasticsearch-definitions.sh");
        assertThat(script.indexOf("_ilm/policy")).isPositive().isLessThan(script.indexOf("_index_template"));
        for (String template : ComponentSources.indexTemplates()) {
            String json = Repo.read("sinks/src/main/resources/dev/ringfence/sinks/template/" + template + ".json");
            Matcher policy = Pattern.compile("\"index\\.lifecycle\\.name\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
            while (policy.find()) {
                assertThat(Repo.path("sinks/ilm/" + policy.group(1) + ".json")).as(template + " names " + policy.group(1)).exists();
            }
        }
    }

    @Test
    void theScriptsReadWhatTheSinksImageCarriesAndTheyAreMounted() {
        String dockerfile = String.join("\n", Dockerfile.read().instructions());
        for (String shipped : List.of("sinks/ilm/ /opt/ringfence/elastic/ilm/",
                "sinks/src/main/resources/dev/ringfence/sinks/template/ /opt/ringfence/elastic/templates/",
                "sinks/kibana/ringfence.ndjson /opt/ringfence/elastic/kibana/ringfence.ndjson")) {
            assertThat(dockerfile).contains("COPY " + shipped);
        }
        JsonNode copy = PodSpecs.container(JOB, "definitions");
        assertThat(copy.path("image").asText()).startsWith("ringfence/sinks");
        assertThat(copy.path("command").toString()).contains("/opt/ringfence/elastic/.", "/setup/");
        assertThat(setupScript("import-kibana-objects.sh")).contains("@/setup/kibana/ringfence.ndjson");
        for (JsonNode container : PodSpecs.containers(JOB)) {
            String command = container.path("command").toString();
            if (command.contains("/scripts/")) {
                PodSpecs.volumeHolding(JOB, container, "/scripts/x");
                PodSpecs.volumeHolding(JOB, container, "/etc/ringfence/elasticsearch/password");
            }
        }
    }

    private static String setupScript(String name) {
        String configMap = PodSpecs.podSpec(JOB).at("/volumes").findValue("configMap").path("name").asText();
        JsonNode script = Manifests.one(Manifests.base(), "ConfigMap", configMap).body().path("data").path(name);
        assertThat(script.isTextual()).as(name + " in " + configMap).isTrue();
        return script.asText();
    }
}
