package io.taskwire.worker.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskHandler;
import org.springframework.stereotype.Component;

/** Built-in {@code echo}: returns the payload as its output. */
@Component
class EchoHandler implements TaskHandler {

    @Override
    public String type() {
        return "echo";
    }

    @Override
    public JsonNode execute(JsonNode payload, TaskContext context) {
        return payload;
    }
}
