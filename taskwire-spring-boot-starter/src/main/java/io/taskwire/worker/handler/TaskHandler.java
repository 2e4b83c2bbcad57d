package io.taskwire.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs tasks of one type: the worker's public extension point. Declare an implementation as a
 * Spring bean in the worker's application context and the worker advertises its {@link #type()}
 * to the scheduler and sends it the payload of every task of that type.
 *
 * <p>{@link #execute} runs on one of the worker's slot threads and may block. It must stop when its
 * thread is interrupted: that is how the worker enforces the task's deadline and a client's abort.
 * Throw {@link TaskFailedException} to fail with a code of your choice and say whether a retry can
 * help; any other exception fails the attempt as retryable, except {@link IllegalArgumentException}
 * (a bad payload), which is final.
 */
public interface TaskHandler {

    /** @return the task type, as clients name it in {@code TaskSpec.type} */
    String type();

    /**
     * Runs one attempt.
     *
     * @param payload the task's payload, exactly as the client submitted it
     * @param context the attempt: task id, attempt number, deadline
     * @return the output, any JSON value (null becomes JSON null)
     * @throws Exception to fail the attempt
     */
    JsonNode execute(JsonNode payload, TaskContext context) throws Exception;
}
