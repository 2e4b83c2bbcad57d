package io.taskwire.transport.signing;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.util.RSocketProxy;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.transport.RoutedRSocket;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The responder side: a request whose signature fails is answered {@code UNAUTHORIZED} and goes no further. */
public class VerifiedRSocket extends RSocketProxy implements RoutedRSocket {

    private final MessageSigner signer;
    /** The delegate itself when it takes the route read here (the route guard); null otherwise. */
    private final RoutedRSocket routed;

    public VerifiedRSocket(RSocket delegate, MessageSigner signer) {
        super(delegate);
        this.signer = signer;
        this.routed = RoutedRSocket.of(delegate);
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        return requestResponse(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload, String route) {
        ProtocolException refusal = check(payload, route);
        if (refusal != null) {
            return Mono.error(error(refusal));
        }
        return routed != null ? routed.requestResponse(payload, route) : super.requestResponse(payload);
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        return requestStream(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload, String route) {
        ProtocolException refusal = check(payload, route);
        if (refusal != null) {
            return Flux.error(error(refusal));
        }
        return routed != null ? routed.requestStream(payload, route) : super.requestStream(payload);
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        return fireAndForget(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload, String route) {
        ProtocolException refusal = check(payload, route);
        if (refusal != null) {
            return Mono.error(error(refusal));
        }
        return routed != null ? routed.fireAndForget(payload, route) : super.fireAndForget(payload);
    }

    private ProtocolException check(Payload payload, String route) {
        try {
            signer.verify(route, payload.data(), payload.metadata());
            return null;
        } catch (ProtocolException refusal) {
            payload.release();
            return refusal;
        }
    }

    private static ApplicationErrorException error(ProtocolException refusal) {
        return new ApplicationErrorException(refusal.getMessage());
    }
}
