package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A change of a task's status, as {@link Routes#TASK_WATCH} streams it.
 *
 * @param taskId the task's id
 * @param status its new status
 * @param attempt its attempt at that moment
 * @param workerId the worker of that attempt, if any
 * @param at when the change happened, on the scheduler's clock
 */
public record TaskEvent(
        String taskId,
        TaskStatus status,
        @JsonProperty(required = true) int attempt,
        String workerId,
        Instant at) {

    public TaskEvent {
        Check.id(taskId, "taskId");
        Check.required(status, "status");
        Check.required(at, "at");
    }
}
