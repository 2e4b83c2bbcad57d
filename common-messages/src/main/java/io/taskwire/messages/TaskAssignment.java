package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One attempt of a task, sent to a worker ({@link Routes#TASK_EXECUTE}).
 *
 * @param taskId the task's id
 * @param attempt the attempt number, from 1
 * @param type the task type
 * @param payload the input, as the client gave it
 * @param deadline when the worker must stop the handler and report {@link Outcome#TIMED_OUT}
 * @param fence {@code "<scheduler epoch>:<dispatch seq>"}; echo it in the {@link TaskResult}
 */
public record TaskAssignment(
        String taskId,
        @JsonProperty(required = true) int attempt,
        String type,
        JsonNode payload,
        Instant deadline,
        String fence) {

    public TaskAssignment {
        Check.id(taskId, "taskId");
        Check.atLeast(attempt, 1, "attempt");
        Check.id(type, "type");
        Check.required(payload, "payload");
        Check.required(deadline, "deadline");
        Check.id(fence, "fence");
    }
}
