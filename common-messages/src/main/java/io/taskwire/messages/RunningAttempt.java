package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An attempt a worker still runs, or holds the undelivered result of, as it lists it in
 * {@link WorkerHello#running()} (PROTOCOL.md sections 4 and 5).
 *
 * @param taskId the task
 * @param attempt the attempt's number
 * @param fence the attempt's fence, as the scheduler assigned it
 */
public record RunningAttempt(String taskId, @JsonProperty(required = true) int attempt, String fence) {

    public RunningAttempt {
        Check.id(taskId, "running[].taskId");
        Check.atLeast(attempt, 1, "running[].attempt");
        Check.required(fence, "running[].fence");
    }

    /** @return the attempt the assignment starts */
    public static RunningAttempt of(TaskAssignment assignment) {
        return new RunningAttempt(assignment.taskId(), assignment.attempt(), assignment.fence());
    }
}
