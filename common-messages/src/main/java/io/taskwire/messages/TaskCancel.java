package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Stop an attempt ({@link Routes#TASK_CANCEL}, fire-and-forget).
 *
 * @param taskId the task's id
 * @param attempt the attempt to stop; another attempt of the same task is left alone
 * @param reason why, for the worker's log
 */
public record TaskCancel(String taskId, @JsonProperty(required = true) int attempt, String reason) {

    public TaskCancel {
        Check.id(taskId, "taskId");
        Check.atLeast(attempt, 1, "attempt");
        reason = reason == null ? "" : reason;
    }
}
