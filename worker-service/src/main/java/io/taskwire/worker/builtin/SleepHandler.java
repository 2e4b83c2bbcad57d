package io.taskwire.worker.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskHandler;
import org.springframework.stereotype.Component;

/** Built-in {@code sleep}: payload {@code {"ms": N}}, sleeps N milliseconds, returns {@code {"sleptMs": N}}. */
@Component
class SleepHandler implements TaskHandler {

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public JsonNode execute(JsonNode payload, TaskContext context) throws InterruptedException {
        JsonNode ms = payload.get("ms");
        if (ms == null || !ms.isIntegralNumber() || !ms.canConvertToLong() || ms.asLong() < 0) {
            throw new IllegalArgumentException("sleep takes {\"ms\": N} with N a whole number of milliseconds >= 0");
        }
        Thread.sleep(ms.asLong());
        return JsonNodeFactory.instance.objectNode().put("sleptMs", ms.asLong());
    }
}
