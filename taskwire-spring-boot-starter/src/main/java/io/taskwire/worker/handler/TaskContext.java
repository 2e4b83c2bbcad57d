package io.taskwire.worker.handler;

import java.time.Instant;

/**
 * The attempt a {@link TaskHandler} runs.
 *
 * @param taskId the task's id
 * @param attempt the attempt number, from 1; a task may run more than once (at-least-once)
 * @param deadline when the worker stops the handler
 */
public record TaskContext(String taskId, int attempt, Instant deadline) {
}
