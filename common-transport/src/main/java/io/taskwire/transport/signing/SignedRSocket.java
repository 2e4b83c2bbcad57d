package io.taskwire.transport.signing;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.ByteBufPayload;
import io.rsocket.util.RSocketProxy;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.transport.RoutedRSocket;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The requester side: every request leaves with a signature ({@link MessageSigner}). */
public class SignedRSocket extends RSocketProxy implements RoutedRSocket {

    private final MessageSigner signer;

    public SignedRSocket(RSocket delegate, MessageSigner signer) {
        super(delegate);
        this.signer = signer;
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        return requestResponse(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload, String route) {
        return super.requestResponse(signed(payload, route));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        return requestStream(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload, String route) {
        return super.requestStream(signed(payload, route));
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        return fireAndForget(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload, String route) {
        return super.fireAndForget(signed(payload, route));
    }

    private Payload signed(Payload payload, String route) {
        try {
            return ByteBufPayload.create(payload.data().retain(),
                    signer.withSignature(payload.metadata(), route, payload.data()));
        } finally {
            payload.release();
        }
    }
}
