package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A task as the scheduler reports it.
 *
 * @param taskId the task's id
 * @param type the task type
 * @param status where it is in its life
 * @param attempt the current (or last) attempt, 0 before the first dispatch
 * @param workerId the worker of the current (or last) attempt, if any
 * @param createdAt when the scheduler accepted it
 * @param startedAt when its current attempt was dispatched, if it was
 * @param finishedAt when it reached a final state, if it did
 * @param output the handler's output when {@link TaskStatus#SUCCEEDED}
 * @param error why it did not succeed, when final and not successful
 * @param scheduleId the schedule that fired it, if one did
 */
public record TaskView(
        String taskId,
        String type,
        TaskStatus status,
        @JsonProperty(required = true) int attempt,
        String workerId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        JsonNode output,
        TaskError error,
        String scheduleId) {

    public TaskView {
        Check.id(taskId, "taskId");
        Check.id(type, "type");
        Check.required(status, "status");
        Check.atLeast(attempt, 0, "attempt");
        Check.optionalId(workerId, "workerId");
        Check.required(createdAt, "createdAt");
        Check.optionalId(scheduleId, "scheduleId");
    }

    /** A task no schedule fired. */
    public TaskView(String taskId, String type, TaskStatus status, int attempt, String workerId, Instant createdAt,
                    Instant startedAt, Instant finishedAt, JsonNode output, TaskError error) {
        this(taskId, type, status, attempt, workerId, createdAt, startedAt, finishedAt, output, error, null);
    }
}
