package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * How an attempt ended, sent by the worker (as the reply to {@link Routes#TASK_EXECUTE}, or by
 * {@link Routes#TASK_RESULT}).
 *
 * @param taskId the task's id
 * @param attempt the attempt number from the assignment
 * @param workerId the worker that ran it
 * @param fence the fence from the assignment
 * @param outcome how it ended
 * @param output the handler's output, with {@link Outcome#SUCCEEDED}
 * @param error why it did not succeed, otherwise; optional
 * @param startedAt when the worker started it (for {@link Outcome#REJECTED}, when it refused it)
 * @param finishedAt when it ended
 */
public record TaskResult(
        String taskId,
        @JsonProperty(required = true) int attempt,
        String workerId,
        String fence,
        Outcome outcome,
        JsonNode output,
        TaskError error,
        Instant startedAt,
        Instant finishedAt) {

    public TaskResult {
        Check.id(taskId, "taskId");
        Check.atLeast(attempt, 1, "attempt");
        Check.id(workerId, "workerId");
        Check.id(fence, "fence");
        Check.required(outcome, "outcome");
        Check.required(startedAt, "startedAt");
        Check.required(finishedAt, "finishedAt");
    }
}
