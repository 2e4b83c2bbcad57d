package io.taskwire.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the golden JSON files of {@code src/test/resources/golden}. */
final class GoldenFiles {

    static final String DIRECTORY = "/golden/";

    private GoldenFiles() {
    }

    /** @return the raw bytes of a golden file */
    static byte[] bytes(String file) {
        try (InputStream in = GoldenFiles.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + DIRECTORY + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the golden file as a JSON tree, parsed without any record in between */
    static JsonNode tree(String file) {
        try {
            return Json.mapper().readTree(bytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a fresh, mutable copy of a golden file's top-level object */
    static ObjectNode object(String file) {
        return (ObjectNode) tree(file).deepCopy();
    }
}
