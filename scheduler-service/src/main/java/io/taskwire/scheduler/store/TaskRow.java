package io.taskwire.scheduler.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import java.time.Instant;

/**
 * A task as the store keeps it: its spec and everything its state machine needs to go on after a
 * restart. Each write of a task carries the whole row, so that the last write is the task's state.
 *
 * @param id the task id
 * @param spec the submission, payload included
 * @param status the current status
 * @param attempt the current attempt's number (0 before the first)
 * @param attemptsSpent attempts that counted against {@code maxAttempts}
 * @param recordedAttempt the attempt whose result was recorded last (0 for none)
 * @param timeoutMs how long one attempt may run
 * @param maxAttempts attempts in all
 * @param workerId the current attempt's worker; null before the first attempt
 * @param fence the current attempt's fence; null before the first attempt
 * @param avoidedWorker a worker the task should not go to next; null for none
 * @param createdAt when the task was accepted
 * @param startedAt when its current attempt started; null before the first
 * @param finishedAt when it reached a final status; null while unfinished
 * @param output the output of a success; null otherwise
 * @param error the error of a failure; null otherwise
 * @param scheduleId the schedule that fired it; null for a task submitted by a client
 */
public record TaskRow(String id, TaskSpec spec, TaskStatus status, int attempt, int attemptsSpent, int recordedAttempt,
                      long timeoutMs, int maxAttempts, String workerId, String fence, String avoidedWorker,
                      Instant createdAt, Instant startedAt, Instant finishedAt, JsonNode output, TaskError error,
                      String scheduleId) {
}
