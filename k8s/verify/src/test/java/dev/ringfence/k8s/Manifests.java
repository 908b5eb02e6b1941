package dev.ringfence.k8s;

import dev.ringfence.k8s.render.Kustomization;
import dev.ringfence.k8s.render.Resource;
import dev.ringfence.k8s.source.Repo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** The rendered base and overlays of k8s/, rendered once per test JVM. */
final class Manifests {
    static final List<String> TARGETS = List.of("base", "overlays/dev", "overlays/production");
    private static final Map<String, List<Resource>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {}

    static List<Resource> rendered(String target) {
        return RENDERED.computeIfAbsent(target, dir -> List.copyOf(Kustomization.build(Repo.path("k8s/" + dir))));
    }

    static List<Resource> base() {
        return rendered("base");
    }

    static Resource one(List<Resource> resources, String kind, String name) {
        return resources.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in the rendered manifests"));
    }

    static List<Resource> ofKind(List<Resource> resources, String kind) {
        return resources.stream().filter(kindIs(kind)).toList();
    }

    static Predicate<Resource> kindIs(String kind) {
        return resource -> resource.kind().equals(kind);
    }
}
