package io.taskwire.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
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
