package io.taskwire.worker.handler;

/** Thrown by a {@link TaskHandler} to fail an attempt with a code and a retry decision of its own. */
public class TaskFailedException extends Exception {

    private final String code;
    private final boolean retryable;

    /**
     * @param code a short code for the failure (the protocol's or your own)
     * @param message what went wrong, for the client
     * @param retryable whether another attempt may succeed
     */
    public TaskFailedException(String code, String message, boolean retryable) {
        super(message);
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
