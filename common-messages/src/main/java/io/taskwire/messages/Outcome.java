package io.taskwire.messages;

/** How an attempt ended on the worker. */
public enum Outcome {
    /** The handler returned an output. */
    SUCCEEDED,
    /** The handler failed; {@code error.retryable} says whether to try again. */
    FAILED,
    /** The worker did not start the task (at capacity, unknown type, draining); no attempt is spent. */
    REJECTED,
    /** Stopped by {@link Routes#TASK_CANCEL}. */
    CANCELLED,
    /** Stopped at its deadline. */
    TIMED_OUT
}
