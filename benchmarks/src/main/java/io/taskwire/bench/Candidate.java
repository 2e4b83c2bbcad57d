package io.taskwire.bench;

import reactor.core.publisher.Mono;

/** One thing under measurement: a request-response call that answers the benchmark's assignment. */
interface Candidate extends AutoCloseable {

    /** @return the name shown in the tables */
    String name();

    /** @return one call, not yet subscribed; completes when the reply has been decoded */
    Mono<?> call();

    @Override
    void close();
}
