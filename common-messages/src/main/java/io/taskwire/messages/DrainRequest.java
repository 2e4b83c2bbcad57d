package io.taskwire.messages;

/**
 * A worker asks to get no new tasks ({@link Routes#WORKER_DRAIN}).
 *
 * @param workerId the worker; must be the worker of the connection
 */
public record DrainRequest(String workerId) {

    public DrainRequest {
        Check.id(workerId, "workerId");
    }
}
