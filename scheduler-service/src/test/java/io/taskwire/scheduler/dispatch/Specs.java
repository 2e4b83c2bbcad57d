package io.taskwire.scheduler.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskSpec;
import java.util.Map;

/** Task specs as the tests submit them; the payload {"n": n} tells tasks apart. */
public final class Specs {

    private Specs() {
    }

    public static JsonNode payload(int n) {
        return Json.mapper().createObjectNode().put("n", n);
    }

    public static TaskSpec spec(String type, int n) {
        return TaskSpec.of(type, payload(n));
    }

    public static TaskSpec routed(String type, int n, Routing routing) {
        return new TaskSpec(type, payload(n), null, null, null, null, null, routing);
    }

    public static TaskSpec pinned(String type, int n, String workerId) {
        return routed(type, n, new Routing(RoutingStrategy.PINNED, workerId, null));
    }

    public static TaskSpec labelled(String type, int n, Map<String, String> labels) {
        return routed(type, n, new Routing(RoutingStrategy.ROUND_ROBIN, null, labels));
    }

    public static TaskSpec keyed(String type, int n, String key) {
        return new TaskSpec(type, payload(n), null, key, null, null, null,
                new Routing(RoutingStrategy.CONSISTENT_HASH, null, null));
    }

    public static TaskSpec withAttempts(String type, int n, int maxAttempts) {
        return new TaskSpec(type, payload(n), null, null, null, maxAttempts, null, null);
    }

    public static TaskSpec withTimeout(String type, int n, long timeoutMs) {
        return new TaskSpec(type, payload(n), null, null, timeoutMs, null, null, null);
    }
}
