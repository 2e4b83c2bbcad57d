package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/**
 * {@code TIMEOUT}: the task did not reach a final state within the time the caller waited. The
 * task goes on; {@link #taskId()} names it, to wait again or watch it.
 */
public class TaskTimeoutException extends TaskwireException {

    private final String taskId;

    public TaskTimeoutException(String message, String taskId, Throwable cause) {
        super(ErrorCode.TIMEOUT, message, cause);
        this.taskId = taskId;
    }

    /** @return the task that is still running, when known */
    public String taskId() {
        return taskId;
    }
}
