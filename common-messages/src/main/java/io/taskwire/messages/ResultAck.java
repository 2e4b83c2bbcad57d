package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The scheduler's answer to a {@link TaskResult} delivered by {@link Routes#TASK_RESULT}.
 *
 * @param taskId the task's id
 * @param attempt the attempt of the result
 * @param accepted whether this result was recorded now
 * @param duplicate the same attempt's result was already recorded; nothing changed
 * @param stale the result is for an attempt that is no longer current; nothing changed
 */
public record ResultAck(
        String taskId,
        @JsonProperty(required = true) int attempt,
        @JsonProperty(required = true) boolean accepted,
        @JsonProperty(required = true) boolean duplicate,
        @JsonProperty(required = true) boolean stale) {

    public ResultAck {
        Check.id(taskId, "taskId");
    }
}
