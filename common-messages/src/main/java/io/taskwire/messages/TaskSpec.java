package io.taskwire.messages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A task as a client submits it ({@link Routes#TASK_SUBMIT} and friends).
 *
 * @param type the task type; some worker must handle it
 * @param payload the input, any JSON value (JSON {@code null} included), handed to the handler as is
 * @param idempotencyKey a second submission with the same key returns the first task; optional
 * @param key the key {@link RoutingStrategy#CONSISTENT_HASH} routes on; optional otherwise
 * @param timeoutMs how long one attempt may run; the scheduler's default when absent
 * @param maxAttempts how many attempts in all; the scheduler's default when absent
 * @param awaitMs with {@link Routes#TASK_SUBMIT_AWAIT}, how long to wait for the final state
 * @param routing where it may run; {@link Routing#DEFAULT} when absent
 */
public record TaskSpec(
        String type,
        JsonNode payload,
        String idempotencyKey,
        String key,
        Long timeoutMs,
        Integer maxAttempts,
        Long awaitMs,
        Routing routing) {

    public TaskSpec {
        Check.id(type, "type");
        Check.required(payload, "payload");
        Check.optionalId(idempotencyKey, "idempotencyKey");
        Check.optionalId(key, "key");
        Check.optionalAtLeast(timeoutMs, 1, "timeoutMs");
        Check.optionalAtLeast(maxAttempts, 1, "maxAttempts");
        Check.optionalAtLeast(awaitMs, 0, "awaitMs");
        routing = routing == null ? Routing.DEFAULT : routing;
        if (routing.strategy() == RoutingStrategy.CONSISTENT_HASH && key == null) {
            throw new InvalidMessageException("key", "is required with routing strategy CONSISTENT_HASH");
        }
    }

    /**
     * A task of the given type and payload with every option at its default.
     *
     * @param type the task type
     * @param payload the input
     * @return the spec
     */
    public static TaskSpec of(String type, JsonNode payload) {
        return new TaskSpec(type, payload, null, null, null, null, null, null);
    }
}
