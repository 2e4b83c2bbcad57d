package io.taskwire.transport;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A layer of the RSocket chain that can be handed the route an outer layer has already read, so
 * that the metadata of a request is parsed once however many layers (metrics, signatures, the route
 * guard, a responder) need its route. A layer that does not take the route is called as a plain
 * {@link RSocket}; the defaults here do that.
 */
public interface RoutedRSocket extends RSocket {

    /** As {@link #requestResponse(Payload)}, with the request's route already read. */
    default Mono<Payload> requestResponse(Payload payload, String route) {
        return requestResponse(payload);
    }

    /** As {@link #requestStream(Payload)}, with the request's route already read. */
    default Flux<Payload> requestStream(Payload payload, String route) {
        return requestStream(payload);
    }

    /** As {@link #fireAndForget(Payload)}, with the request's route already read. */
    default Mono<Void> fireAndForget(Payload payload, String route) {
        return fireAndForget(payload);
    }

    /** @return the delegate as a layer that takes the route, or null when it does not */
    static RoutedRSocket of(RSocket delegate) {
        return delegate instanceof RoutedRSocket routed ? routed : null;
    }
}
