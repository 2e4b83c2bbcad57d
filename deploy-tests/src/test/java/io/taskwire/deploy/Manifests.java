package io.taskwire.deploy;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * What {@code helm template} rendered, parsed strictly into the Kubernetes client's typed objects
 * (an unknown or misspelled field fails the parse); custom resources such as a ServiceMonitor,
 * which the client has no type for, stay maps.
 */
final class Manifests {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    // the client's Yaml warns once per CRD schema field it cannot map, none of which we parse
    private static final Logger SNAKEYAML_LOGGER = Logger.getLogger("org.yaml.snakeyaml");

    static {
        SNAKEYAML_LOGGER.setLevel(Level.SEVERE);
    }

    private final String text;
    private final List<KubernetesObject> objects = new ArrayList<>();
    private final List<Map<String, Object>> customResources = new ArrayList<>();

    private Manifests(String text) {
        this.text = text;
    }

    static Manifests parse(String rendered) {
        Manifests manifests = new Manifests(rendered);
        for (String document : DOCUMENT_SEPARATOR.split(rendered)) {
            Map<String, Object> raw = Yamls.map(document);
            if (raw == null || raw.isEmpty()) {
                continue;
            }
            if (String.valueOf(raw.get("apiVersion")).startsWith("monitoring.coreos.com/")) {
                manifests.customResources.add(raw);
            } else {
                manifests.objects.add(typed(document));
            }
        }
        return manifests;
    }

    private static KubernetesObject typed(String document) {
        try {
            return (KubernetesObject) Yaml.load(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String text() {
        return text;
    }

    List<KubernetesObject> objects() {
        return objects;
    }

    <T extends KubernetesObject> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends KubernetesObject> T get(Class<T> type, String name) {
        return all(type).stream()
                .filter(object -> name.equals(object.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    List<Map<String, Object>> customResources(String kind) {
        return customResources.stream().filter(resource -> kind.equals(resource.get("kind"))).toList();
    }
}
