package io.taskwire.scheduler.console;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One source of live updates that every open console stream follows: an update is published once
 * and each stream only forwards it. A stream whose browser reads slowly skips to the latest update
 * instead of having the scheduler buffer for it, so what one browser costs stays bounded.
 */
public final class Broadcast<T> {

    private final Sinks.Many<T> sink = Sinks.many().multicast().directBestEffort();

    /** Called from one thread at a time (the sampler's); nobody following is no failure. */
    public void publish(T update) {
        sink.tryEmitNext(update);
    }

    /** Ends every stream that follows, so that none holds a request open through a shutdown. */
    public void close() {
        sink.tryEmitComplete();
    }

    /** @return the updates from now on; one not yet sent when a newer one comes is dropped */
    public Flux<T> updates() {
        return sink.asFlux().onBackpressureLatest();
    }
}
