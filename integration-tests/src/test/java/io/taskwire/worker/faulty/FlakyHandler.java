package io.taskwire.worker.faulty;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskFailedException;
import io.taskwire.worker.handler.TaskHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Test-only {@code flaky} tasks, found by the worker's component scan wherever the test classes are
 * on its class path: every call fails, retryably, while the file named by {@value #MARKER} exists,
 * and echoes the payload otherwise. Without the property it always succeeds, so the in-JVM workers
 * of other tests, which pick this bean up too, only advertise one more harmless type.
 */
@Component
public class FlakyHandler implements TaskHandler {

    /** The task type. */
    public static final String TYPE = "flaky";
    /** The Spring property naming the marker file. */
    public static final String MARKER = "taskwire.test.flaky-marker";

    private final Path marker;

    FlakyHandler(@Value("${" + MARKER + ":}") String marker) {
        this.marker = marker.isBlank() ? null : Path.of(marker);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode execute(JsonNode payload, TaskContext context) throws TaskFailedException {
        if (marker != null && Files.exists(marker)) {
            throw new TaskFailedException("FLAKY", "failing on purpose while " + marker + " exists", true);
        }
        return payload;
    }
}
