package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A running attempt's progress ({@link Routes#TASK_PROGRESS}, fire-and-forget).
 *
 * @param taskId the task's id
 * @param attempt the attempt
 * @param percent 0 to 100
 * @param message what it is doing; empty when absent
 */
public record TaskProgress(
        String taskId,
        @JsonProperty(required = true) int attempt,
        @JsonProperty(required = true) int percent,
        String message) {

    public TaskProgress {
        Check.id(taskId, "taskId");
        Check.atLeast(attempt, 1, "attempt");
        Check.atLeast(percent, 0, "percent");
        if (percent > 100) {
            throw new InvalidMessageException("percent", "must be at most 100 (was " + percent + ")");
        }
        message = message == null ? "" : message;
    }
}
