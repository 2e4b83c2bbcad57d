package io.taskwire.messages;

/** The life of a task as the scheduler records it. */
public enum TaskStatus {
    /** Accepted, waiting for an eligible worker with a free slot. */
    PENDING,
    /** An attempt is running on a worker. */
    DISPATCHED,
    /** Final: the handler returned an output. */
    SUCCEEDED,
    /** Final: the last attempt failed, or no attempts were left. */
    FAILED,
    /** Final: the attempt ran past its timeout. */
    TIMED_OUT,
    /** Final: a client aborted it. */
    ABORTED;

    /** @return whether no further change can happen */
    public boolean isFinal() {
        return this != PENDING && this != DISPATCHED;
    }
}
