package io.taskwire.transport.signing;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.util.RSocketProxy;
import io.taskwire.messages.ProtocolException;
import io.taskwire.transport.RouteMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The responder side: a request whose signature fails is answered {@code UNAUTHORIZED} and goes no further. */
public class VerifiedRSocket extends RSocketProxy {

    private final MessageSigner signer;

    public VerifiedRSocket(RSocket delegate, MessageSigner signer) {
        super(delegate);
        this.signer = signer;
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        ProtocolException refusal = check(payload);
        return refusal == null ? super.requestResponse(payload) : Mono.error(error(refusal));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        ProtocolException refusal = check(payload);
        return refusal == null ? super.requestStream(payload) : Flux.error(error(refusal));
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        ProtocolException refusal = check(payload);
        return refusal == null ? super.fireAndForget(payload) : Mono.error(error(refusal));
    }

    private ProtocolException check(Payload payload) {
        try {
            signer.verify(RouteMetadata.route(payload.metadata()), payload.data(), payload.metadata());
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
