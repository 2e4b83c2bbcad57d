package io.taskwire.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Plain YAML as maps, and dotted-path lookups into them. */
final class Yamls {

    private Yamls() {
    }

    static Map<String, Object> map(String yaml) {
        return new Yaml().load(yaml);
    }

    static Map<String, Object> file(Path path) {
        try {
            return map(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a dotted path such as {@code management.server.port}; fails when absent. */
    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> yaml, String path) {
        Object node = yaml;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new AssertionError("no " + path + " in " + yaml);
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return node;
    }
}
