package io.taskwire.worker.faulty;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskFailedException;
import io.taskwire.worker.handler.TaskHandler;
import org.springframework.stereotype.Component;

/**
 * Test-only {@code fails} tasks, found by the worker's component scan wherever the test classes are
 * on its class path: every call fails, not retryably, so each task ends FAILED after one attempt.
 * Only the tests that want failed tasks submit this type, so what they count of it is theirs.
 */
@Component
public class FailingHandler implements TaskHandler {

    /** The task type. */
    public static final String TYPE = "fails";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode execute(JsonNode payload, TaskContext context) throws TaskFailedException {
        throw new TaskFailedException("FAILS", "fails on purpose: " + payload, false);
    }
}
