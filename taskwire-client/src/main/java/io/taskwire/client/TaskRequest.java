package io.taskwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.taskwire.client.error.InvalidRequestException;
import io.taskwire.messages.InvalidMessageException;
import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A task to submit: its type, its payload as any object the client's {@link ObjectMapper} can
 * write, and options. Immutable: each option returns a new request.
 *
 * <pre>{@code
 * TaskRequest resize = TaskRequest.of("resize-image", new Resize("cat.png", 640))
 *         .idempotencyKey("order-17")
 *         .timeout(Duration.ofSeconds(30))
 *         .maxAttempts(3);
 * }</pre>
 *
 * <p>The rules of PROTOCOL.md section 4 are checked before anything is sent: a request that breaks
 * one gets {@link InvalidRequestException} naming the field.
 */
public final class TaskRequest {

    private final String type;
    private final Object payload;
    private final String idempotencyKey;
    private final String key;
    private final Duration timeout;
    private final Integer maxAttempts;
    private final Routing routing;

    private TaskRequest(String type, Object payload, String idempotencyKey, String key, Duration timeout,
                        Integer maxAttempts, Routing routing) {
        this.type = type;
        this.payload = payload;
        this.idempotencyKey = idempotencyKey;
        this.key = key;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.routing = routing;
    }

    /**
     * @param type the task type; some worker must handle it
     * @param payload the handler's input: a {@link JsonNode}, or any object the client's mapper
     *                writes as JSON; null is JSON {@code null}
     * @return a request with every option at the scheduler's default
     */
    public static TaskRequest of(String type, Object payload) {
        return new TaskRequest(type, payload, null, null, null, null, null);
    }

    /** @return this request with an idempotency key: a second submission with it returns the first task */
    public TaskRequest idempotencyKey(String idempotencyKey) {
        return new TaskRequest(type, payload, idempotencyKey, key, timeout, maxAttempts, routing);
    }

    /** @return this request with the key {@link RoutingStrategy#CONSISTENT_HASH} routes on */
    public TaskRequest key(String key) {
        return new TaskRequest(type, payload, idempotencyKey, key, timeout, maxAttempts, routing);
    }

    /** @return this request with how long one attempt may run (whole milliseconds, at least 1) */
    public TaskRequest timeout(Duration timeout) {
        return new TaskRequest(type, payload, idempotencyKey, key, timeout, maxAttempts, routing);
    }

    /** @return this request with how many attempts it may take in all */
    public TaskRequest maxAttempts(int maxAttempts) {
        return new TaskRequest(type, payload, idempotencyKey, key, timeout, maxAttempts, routing);
    }

    /** @return this request with where it may run (PROTOCOL.md section 4, {@code routing}) */
    public TaskRequest routing(Routing routing) {
        return new TaskRequest(type, payload, idempotencyKey, key, timeout, maxAttempts, routing);
    }

    /** @return this request pinned to one worker */
    public TaskRequest pinnedTo(String workerId) {
        try {
            return routing(new Routing(RoutingStrategy.PINNED, workerId, null));
        } catch (InvalidMessageException invalid) {
            throw refused(invalid);
        }
    }

    /** @return this request restricted to workers that carry all of these labels */
    public TaskRequest labels(Map<String, String> labels) {
        Routing current = routing == null ? Routing.DEFAULT : routing;
        try {
            return routing(new Routing(current.strategy(), current.workerId(), labels));
        } catch (InvalidMessageException invalid) {
            throw refused(invalid);
        }
    }

    /** @return the task type */
    public String type() {
        return type;
    }

    /** @return the idempotency key, or null */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /**
     * The spec as it goes on the wire.
     *
     * @param mapper writes the payload
     * @throws InvalidRequestException naming the field that breaks a rule of the protocol
     */
    TaskSpec toSpec(ObjectMapper mapper) {
        JsonNode json;
        try {
            json = payload == null ? NullNode.getInstance()
                    : payload instanceof JsonNode node ? node : mapper.valueToTree(payload);
        } catch (IllegalArgumentException unwritable) {
            throw new InvalidRequestException("payload cannot be written as JSON: " + unwritable.getMessage(),
                    "payload", unwritable);
        }
        Long timeoutMs = null;
        if (timeout != null) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidRequestException("timeoutMs must be at least 1, got " + timeout.toMillis(),
                        "timeoutMs", null);
            }
            timeoutMs = Math.max(1, timeout.toMillis());
        }
        try {
            return new TaskSpec(type, json == null ? NullNode.getInstance() : json, idempotencyKey, key, timeoutMs,
                    maxAttempts, null, routing);
        } catch (InvalidMessageException invalid) {
            throw refused(invalid);
        }
    }

    private static InvalidRequestException refused(InvalidMessageException invalid) {
        return new InvalidRequestException(invalid.getMessage(), invalid.field(), invalid);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskRequest that && Objects.equals(type, that.type)
                && Objects.equals(payload, that.payload) && Objects.equals(idempotencyKey, that.idempotencyKey)
                && Objects.equals(key, that.key) && Objects.equals(timeout, that.timeout)
                && Objects.equals(maxAttempts, that.maxAttempts) && Objects.equals(routing, that.routing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, payload, idempotencyKey, key, timeout, maxAttempts, routing);
    }

    @Override
    public String toString() {
        return "TaskRequest[type=" + type + ", idempotencyKey=" + idempotencyKey + "]";
    }
}
