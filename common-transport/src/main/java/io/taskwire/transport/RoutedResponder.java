package io.taskwire.transport;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import reactor.core.publisher.Mono;

/**
 * A responder behind the {@link RouteGuard} that is handed the route the guard has already read,
 * so that it can answer some routes itself without reading the metadata again.
 */
public interface RoutedResponder extends RSocket {

    /**
     * @param payload the request, its route already checked by the guard
     * @param route the route read out of its metadata
     * @return the reply
     */
    Mono<Payload> requestResponse(Payload payload, String route);
}
