package io.taskwire.bench;

import reactor.core.publisher.Mono;

/** A receiver of one-way messages that counts what arrived, for comparison 2. */
interface FireAndForgetTarget {

    /** @return the name shown in the tables */
    String name();

    /** @return one message, not yet subscribed; a {@code TaskCancel} with the same JSON everywhere */
    Mono<Void> fire();

    /** @return messages handled so far, counted at the receiver */
    long received();

    /** @return how many may be sent and not yet counted, so a fast sender cannot queue without bound */
    int window();
}
