package io.taskwire.scheduler.security;

/** The scheduler was started without tokens for a role and without the insecure development mode. */
public class MissingCredentialsException extends IllegalStateException {

    private final boolean workerMissing;
    private final boolean clientMissing;

    MissingCredentialsException(boolean workerMissing, boolean clientMissing) {
        super("The scheduler has no " + (workerMissing && clientMissing ? "worker or client"
                : workerMissing ? "worker" : "client") + " tokens configured and will not start without them");
        this.workerMissing = workerMissing;
        this.clientMissing = clientMissing;
    }

    boolean workerMissing() {
        return workerMissing;
    }

    boolean clientMissing() {
        return clientMissing;
    }
}
