package dev.ringfence.k8s.eck;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.k8s.npm.NpmValidators;
import dev.ringfence.k8s.source.ComponentSources;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ECK's published schema. Elastic publishes no Java model; the npm package @kubernetes-models/elastic-cloud
 * carries JSON-schema validators compiled from ECK's CRDs (types, enums, required fields). Those validators
 * accept unknown keys (the CRDs do not close their objects), so typos are caught separately: every key must
 * be a field that ECK's model declares somewhere (its .d.ts interfaces).
 */
public final class EckModels {
    private static final Pattern DECLARED_FIELD = Pattern.compile("^\\s+\"([A-Za-z0-9_.-]+)\"\\??:", Pattern.MULTILINE);

    private final NpmValidators validators;
    private final Set<String> declaredFields;

    private EckModels(NpmValidators validators, Set<String> declaredFields) {
        this.validators = validators;
        this.declaredFields = declaredFields;
    }

    public static EckModels installed() {
        NpmValidators validators = NpmValidators.of("@kubernetes-models/elastic-cloud");
        Set<String> fields = ComponentSources.inFiles(validators.packageDir(), ".d.ts", DECLARED_FIELD);
        return new EckModels(validators, fields);
    }

    public boolean declares(String field) {
        return declaredFields.contains(field);
    }

    /** Per object: null when ECK's validator accepts it, else its message. */
    public List<String> validate(List<? extends JsonNode> objects) {
        return validators.validate(objects);
    }
}
