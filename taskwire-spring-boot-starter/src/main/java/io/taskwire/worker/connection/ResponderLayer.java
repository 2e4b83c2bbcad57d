package io.taskwire.worker.connection;

import io.rsocket.RSocket;

/** Answers some of the scheduler's calls on a connection ahead of Spring's handlers. */
@FunctionalInterface
public interface ResponderLayer {

    /**
     * @param handlers Spring's responder for the connection, for every call the layer leaves alone
     * @param toScheduler the connection's requester, the one Spring hands its handlers
     * @return the responder to put behind the route guard
     */
    RSocket wrap(RSocket handlers, RSocket toScheduler);
}
