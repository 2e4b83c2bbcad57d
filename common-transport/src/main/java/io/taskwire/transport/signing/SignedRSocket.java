package io.taskwire.transport.signing;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.ByteBufPayload;
import io.rsocket.util.RSocketProxy;
import io.taskwire.transport.RouteMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The requester side: every request leaves with a signature ({@link MessageSigner}). */
public class SignedRSocket extends RSocketProxy {

    private final MessageSigner signer;

    public SignedRSocket(RSocket delegate, MessageSigner signer) {
        super(delegate);
        this.signer = signer;
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        return super.requestResponse(signed(payload));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        return super.requestStream(signed(payload));
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        return super.fireAndForget(signed(payload));
    }

    private Payload signed(Payload payload) {
        try {
            return ByteBufPayload.create(payload.data().retain(),
                    signer.withSignature(payload.metadata(), RouteMetadata.route(payload.metadata()), payload.data()));
        } finally {
            payload.release();
        }
    }
}
